//! End-to-end tests of the engine with the default gazetteer.

#[test]
fn default_gazetteer_tags_a_cable_line() {
    let tagger = quipu::Tagger::new().expect("default gazetteer builds");
    let spans = tagger.tag("FM AMEMBASSY LIMA TO SECSTATE WASHDC. FUJIMORI'S PERU.");
    let texts: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
    assert!(texts.contains(&"LIMA"), "{texts:?}");
    assert!(texts.contains(&"FUJIMORI"), "{texts:?}");
    assert!(texts.contains(&"PERU"), "{texts:?}");
}
