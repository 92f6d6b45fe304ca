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

/// Ordinary English, written for this test, full of words that are also place names
/// somewhere (Reading, Nice, Mobile, Split, Orange, Bath, Roses, Mercedes, Victoria, Union).
const PLAIN_ENGLISH: &str = "\
Reading the minutes of the union meeting took most of the afternoon. Nice work, said the chair,
but the deal is not done. Mobile phones were banned from the hall. Split votes on the budget
meant that every man and woman of the committee had to stay late. Orange juice and bread were
served at ten. Victory seemed near; liberty and independence were the words on every banner.
Police officers stood by the door. The treasurer read out the figures; the date of the next
meeting was set for March. Along the river, a bath house had been turned into a library. The
florist would deliver roses. Concord among members matters more than progress, she added, and
the union will not split over one vote. Buy local, read the poster. Charity begins at home.
Rich and poor, young and old, they all came. Most of them walked home in the rain.
";

#[test]
fn ordinary_english_tags_nothing_in_any_case() {
    let tagger = quipu::Tagger::new().expect("default gazetteer builds");
    for text in [PLAIN_ENGLISH.to_string(), PLAIN_ENGLISH.to_uppercase()] {
        let spans = tagger.tag(&text);
        let found: Vec<(&str, &str)> = spans.iter().map(|s| (s.text.as_str(), &*s.id)).collect();
        assert!(found.is_empty(), "false alarms: {found:?}");
    }
}
