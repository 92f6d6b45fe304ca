//! The `quipu` command (a first cut: tags standard input or files with the default gazetteer).

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let tagger = match quipu::Tagger::new() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("quipu: {e}");
            return ExitCode::from(2);
        }
    };
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let inputs: Vec<String> = if paths.is_empty() {
        vec!["-".into()]
    } else {
        paths
    };
    let mut status = ExitCode::SUCCESS;
    for path in inputs {
        let text = if path == "-" {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map(|_| s)
        } else {
            std::fs::read_to_string(&path)
        };
        match text {
            Ok(text) => {
                let line = serde_json::json!({"path": path, "entities": tagger.tag(&text)});
                println!("{line}");
            }
            Err(e) => {
                eprintln!("quipu: {path}: {e}");
                status = ExitCode::from(1);
            }
        }
    }
    status
}
