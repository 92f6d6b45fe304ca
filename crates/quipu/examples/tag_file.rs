//! Tags a file with the default gazetteer and prints the time it took and the span count:
//! `cargo run --release -p quipu --example tag_file -- FILE [--no-rules]`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: tag_file FILE [--no-rules]")?;
    let text = std::fs::read_to_string(path)?;
    let plain = args.iter().any(|a| a == "--no-rules");
    let t = Instant::now();
    let tagger = quipu::Tagger::builder()
        .rules(!plain)
        .linking(!plain)
        .build()?;
    let built = t.elapsed();
    let t = Instant::now();
    let spans = tagger.tag(&text);
    let took = t.elapsed();
    println!(
        "build {:?}, tag {:?} ({:.1} MB/s), {} spans",
        built,
        took,
        text.len() as f64 / 1e6 / took.as_secs_f64(),
        spans.len()
    );
    Ok(())
}
