//! Table-driven tests of the matching rules: each row is run as written and again with the
//! text in ALL CAPS, as declassified cables are written.

use quipu::{Gazetteer, Tagger};

const GAZETTEER: &str = "\
fujimori | PERSON | Alberto Fujimori | Fujimori; Fujimoro | priority=2
keiko | PERSON | Keiko Fujimori | Fujimori
bermudez | PERSON | Francisco Morales Bermúdez | Morales Bermúdez
jose | PERSON | José Williams Zapata | José Williams; Williams Zapata
oconnor | PERSON | Juan Carlos Liendo O'Connor | Liendo O'Connor
mckinley | PERSON | Michael McKinley | McKinley
peru | PLACE | Peru | Perú
lima | PLACE | Lima |
lima-dept | PLACE | Lima Region | Lima | priority=-1
la-paz | PLACE | La Paz |
istanbul | PLACE | İstanbul |
strasse | PLACE | Hauptstraße |
usa | PLACE | United States | =US; U.S.
army | INSTITUTION | Peruvian Army | Army
armed-forces | INSTITUTION | Peruvian Armed Forces | Armed Forces
sin | INSTITUTION | Servicio de Inteligencia Nacional | =SIN
ap | INSTITUTION | Associated Press | =AP
cia | INSTITUTION | Central Intelligence Agency | CIA | case=exact
peru-libre | INSTITUTION | Perú Libre |
juan-de-la-cruz | PERSON | Juan de la Cruz |
weapon | WEAPON | Kalashnikov | AK-47
";

/// What the ALL CAPS version of a row should find.
enum Caps {
    /// The same spans, upper-cased.
    Same,
    /// Other spans.
    Want(&'static [(&'static str, &'static str)]),
    /// Another text and its spans: for mis-decoded text, where upper-casing the damage is not
    /// what happens to an ALL CAPS original.
    Other(&'static str, &'static [(&'static str, &'static str)]),
}

struct Row {
    rule: &'static str,
    text: &'static str,
    want: &'static [(&'static str, &'static str)],
    caps: Caps,
}

const fn row(
    rule: &'static str,
    text: &'static str,
    want: &'static [(&'static str, &'static str)],
) -> Row {
    Row {
        rule,
        text,
        want,
        caps: Caps::Same,
    }
}

const ROWS: &[Row] = &[
    // Folding: accents, case, apostrophes, dashes, white space.
    row(
        "accents folded",
        "Jose Williams spoke.",
        &[("Jose Williams", "jose")],
    ),
    row(
        "accents kept",
        "José Williams spoke.",
        &[("José Williams", "jose")],
    ),
    row(
        "accents added",
        "Morales Bermudez and Morales Bermúdez",
        &[
            ("Morales Bermudez", "bermudez"),
            ("Morales Bermúdez", "bermudez"),
        ],
    ),
    row(
        "decomposed accents",
        "Jose\u{301} Williams left.",
        &[("Jose\u{301} Williams", "jose")],
    ),
    row(
        "curly apostrophe",
        "Liendo O’Connor said",
        &[("Liendo O’Connor", "oconnor")],
    ),
    row(
        "grave apostrophe",
        "Liendo O`Connor said",
        &[("Liendo O`Connor", "oconnor")],
    ),
    row(
        "line break inside a name",
        "Peruvian Armed\nForces",
        &[("Peruvian Armed\nForces", "armed-forces")],
    ),
    row(
        "CRLF inside a name",
        "Peruvian Armed\r\nForces",
        &[("Peruvian Armed\r\nForces", "armed-forces")],
    ),
    row(
        "runs of spaces",
        "Morales   Bermúdez",
        &[("Morales   Bermúdez", "bermudez")],
    ),
    row("no name across a paragraph", "the Armed\n\nForces", &[]),
    row(
        "dotted capital I",
        "flights to İstanbul",
        &[("İstanbul", "istanbul")],
    ),
    row(
        "sharp s",
        "in der Hauptstrasse",
        &[("Hauptstrasse", "strasse")],
    ),
    row(
        "sharp s in the text",
        "in der Hauptstraße",
        &[("Hauptstraße", "strasse")],
    ),
    Row {
        rule: "mojibake",
        text: "JosÃ© Williams and Fujimoriâ€™s men",
        want: &[("JosÃ© Williams", "jose"), ("Fujimori", "fujimori")],
        caps: Caps::Other(
            "JOSÃ‰ WILLIAMS AND FUJIMORIâ€™S MEN",
            &[("JOSÃ‰ WILLIAMS", "jose"), ("FUJIMORI", "fujimori")],
        ),
    },
    row(
        "non-breaking space",
        "Morales\u{a0}Bermúdez",
        &[("Morales\u{a0}Bermúdez", "bermudez")],
    ),
    row(
        "soft hyphen",
        "Fuji\u{ad}mori won",
        &[("Fuji\u{ad}mori", "fujimori")],
    ),
    // Word boundaries.
    row("not inside a word", "Peruvian exports", &[]),
    row("acronym not inside a word", "SINCE THEN", &[]),
    row("after an emoji", "😀Lima", &[("Lima", "lima")]),
    row("in parentheses", "(Lima)", &[("Lima", "lima")]),
    row(
        "hyphen prefix",
        "pro-Fujimori rallies",
        &[("Fujimori", "fujimori")],
    ),
    row(
        "hyphen compound",
        "US-Peru talks",
        &[("US", "usa"), ("Peru", "peru")],
    ),
    row("dotted acronym", "the U.S. embassy", &[("U.S.", "usa")]),
    row(
        "dotted acronym at the end",
        "back to the U.S.",
        &[("U.S.", "usa")],
    ),
    row(
        "digits are word characters",
        "Lima2 Lima",
        &[("Lima", "lima")],
    ),
    // Possessives stay outside the span.
    row(
        "possessive 's",
        "Fujimori's rule",
        &[("Fujimori", "fujimori")],
    ),
    row(
        "possessive ’s",
        "Fujimori’s rule",
        &[("Fujimori", "fujimori")],
    ),
    row(
        "possessive s'",
        "the Fujimoris' rule",
        &[("Fujimori", "fujimori")],
    ),
    row("possessive of a name in s", "Bermúdez' rule", &[]),
    Row {
        rule: "possessive mis-decoded",
        text: "Fujimoriâ€™s rule",
        want: &[("Fujimori", "fujimori")],
        caps: Caps::Other("FUJIMORIâ€™S RULE", &[("FUJIMORI", "fujimori")]),
    },
    row(
        "possessive stray letter",
        "Fujimoriís rule",
        &[("Fujimori", "fujimori")],
    ),
    row(
        "possessive question mark",
        "Fujimori?s rule",
        &[("Fujimori", "fujimori")],
    ),
    row("plural is not possessive", "the Fujimoris ruled", &[]),
    row(
        "possessive of a multi-word name",
        "Morales Bermúdez's government",
        &[("Morales Bermúdez", "bermudez")],
    ),
    // Case policy.
    Row {
        rule: "lower case does not match",
        text: "lima beans",
        want: &[],
        // ALL CAPS text has no case signal: the name matches.
        caps: Caps::Want(&[("LIMA", "lima")]),
    },
    row("title case matches", "Lima", &[("Lima", "lima")]),
    Row {
        rule: "exact case acronym",
        text: "the SIN grew; sin and Sin are words",
        want: &[("SIN", "sin")],
        caps: Caps::Want(&[("SIN", "sin"), ("SIN", "sin"), ("SIN", "sin")]),
    },
    Row {
        rule: "US as written only",
        text: "the US and us",
        want: &[("US", "usa")],
        caps: Caps::Want(&[("US", "usa"), ("US", "usa")]),
    },
    Row {
        rule: "entry-level exact case",
        text: "CIA and cia and Cia",
        want: &[("CIA", "cia")],
        caps: Caps::Want(&[("CIA", "cia"), ("CIA", "cia"), ("CIA", "cia")]),
    },
    row(
        "word-initial capitals only",
        "Mckinley and MCKINLEY",
        &[("Mckinley", "mckinley"), ("MCKINLEY", "mckinley")],
    ),
    row(
        "lower-case particles are free",
        "Juan De La Cruz",
        &[("Juan De La Cruz", "juan-de-la-cruz")],
    ),
    Row {
        rule: "capitalised word must be capitalised",
        text: "la paz and La paz",
        want: &[],
        caps: Caps::Want(&[("LA PAZ", "la-paz"), ("LA PAZ", "la-paz")]),
    },
    // Overlaps: leftmost-longest, ties by priority, then gazetteer order.
    row(
        "longest wins",
        "Alberto Fujimori",
        &[("Alberto Fujimori", "fujimori")],
    ),
    row(
        "longest institution",
        "the Peruvian Army",
        &[("Peruvian Army", "army")],
    ),
    row(
        "priority breaks a tie",
        "Fujimori",
        &[("Fujimori", "fujimori")],
    ),
    row("priority over order", "Lima", &[("Lima", "lima")]),
    Row {
        rule: "failed long match falls back",
        text: "Peruvian Armed forces",
        want: &[],
        caps: Caps::Want(&[("PERUVIAN ARMED FORCES", "armed-forces")]),
    },
    row(
        "failed longer falls back to shorter",
        "the Army's chief",
        &[("Army", "army")],
    ),
    row(
        "leftmost wins",
        "Keiko Fujimori Alberto",
        &[("Keiko Fujimori", "keiko")],
    ),
    Row {
        rule: "shorter name inside failed longer",
        text: "Perú libre",
        want: &[("Perú", "peru")],
        caps: Caps::Want(&[("PERÚ LIBRE", "peru-libre")]),
    },
    row(
        "user labels",
        "an AK-47 and a Kalashnikov",
        &[("AK-47", "weapon"), ("Kalashnikov", "weapon")],
    ),
    row("misspelling alias", "Fujimoro", &[("Fujimoro", "fujimori")]),
];

fn tagger() -> Tagger {
    let g = Gazetteer::parse_text("matching.gaz", GAZETTEER).expect("test gazetteer parses");
    // The gazetteer matcher alone: rules and linking have their own tests.
    Tagger::builder()
        .default_gazetteer(false)
        .rules(false)
        .linking(false)
        .gazetteer(g)
        .build()
        .expect("test tagger builds")
}

fn found(tagger: &Tagger, text: &str) -> Vec<(String, String)> {
    tagger
        .tag(text)
        .into_iter()
        .map(|s| (s.text, s.id.to_string()))
        .collect()
}

fn owned(want: &[(&str, &str)], upper: bool) -> Vec<(String, String)> {
    want.iter()
        .map(|(t, id)| {
            let t = if upper {
                t.to_uppercase()
            } else {
                t.to_string()
            };
            (t, id.to_string())
        })
        .collect()
}

#[test]
fn rules_as_written_and_in_all_caps() {
    let tagger = tagger();
    let mut failures = Vec::new();
    for row in ROWS {
        let got = found(&tagger, row.text);
        if got != owned(row.want, false) {
            failures.push(format!(
                "{}: {:?} gave {:?}, want {:?}",
                row.rule, row.text, got, row.want
            ));
        }
        let (caps, want) = match row.caps {
            Caps::Same => (row.text.to_uppercase(), owned(row.want, true)),
            Caps::Want(w) => (row.text.to_uppercase(), owned(w, false)),
            Caps::Other(t, w) => (t.to_string(), owned(w, false)),
        };
        let got = found(&tagger, &caps);
        if got != want {
            failures.push(format!(
                "{} (ALL CAPS): {:?} gave {:?}, want {:?}",
                row.rule, caps, got, want
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn offsets_agree_after_non_bmp_and_combining_characters() {
    let tagger = tagger();
    let text = "🇵🇪 Cafe\u{301} — 𝔘 Lima, then Perú's Army";
    for s in tagger.tag(text) {
        assert_eq!(&text[s.byte_start..s.byte_end], s.text);
        assert_eq!(s.start, text[..s.byte_start].chars().count());
        assert_eq!(s.end, text[..s.byte_end].chars().count());
        assert_eq!(s.utf16_start, text[..s.byte_start].encode_utf16().count());
        assert_eq!(s.utf16_end, text[..s.byte_end].encode_utf16().count());
    }
    let texts: Vec<String> = tagger.tag(text).into_iter().map(|s| s.text).collect();
    assert_eq!(texts, ["Lima", "Perú", "Army"]);
}

#[test]
fn spans_carry_entity_fields() {
    let tagger = tagger();
    let s = &tagger.tag("The SIN")[0];
    assert_eq!(&*s.entity_type, "INSTITUTION");
    assert_eq!(&*s.id, "sin");
    assert_eq!(&*s.name, "Servicio de Inteligencia Nacional");
    assert_eq!(s.source, quipu::Source::Gazetteer);
    let json = serde_json::to_value(s).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "start",
        "end",
        "byte_start",
        "byte_end",
        "utf16_start",
        "utf16_end",
        "text",
        "type",
        "id",
        "name",
        "source",
    ] {
        assert!(keys.contains(&k), "missing {k} in {json}");
    }
    assert_eq!(json["source"], "gazetteer");
}

#[test]
fn later_gazetteer_wins_ties_and_types_filter() {
    let base = Gazetteer::parse_text("base.gaz", "lima-city | PLACE | Lima").unwrap();
    let mine = Gazetteer::parse_text("mine.gaz", "lima-band | BAND | Lima").unwrap();
    let t = Tagger::builder()
        .default_gazetteer(false)
        .gazetteer(base.clone())
        .gazetteer(mine.clone())
        .build()
        .unwrap();
    assert_eq!(&*t.tag("Lima")[0].id, "lima-band");
    let t = Tagger::builder()
        .default_gazetteer(false)
        .gazetteer(base)
        .gazetteer(mine)
        .types(["PLACE"])
        .build()
        .unwrap();
    assert_eq!(&*t.tag("Lima")[0].id, "lima-city");
}

#[test]
fn empty_inputs() {
    let tagger = tagger();
    assert!(tagger.tag("").is_empty());
    let none = Tagger::builder().default_gazetteer(false).build().unwrap();
    assert!(none.tag("Lima").is_empty());
}

#[test]
fn long_texts_are_cut_into_pieces_without_losing_names() {
    let tagger = tagger();
    let para = "Lima y Perú, según Fujimori's aides. ".repeat(1000);
    let text = format!("{para}\n\n").repeat(120);
    let spans = tagger.tag(&text);
    assert_eq!(spans.len(), 3 * 1000 * 120);
    let line = "Lima Perú ".repeat(500_000);
    assert_eq!(tagger.tag(&line).len(), 1_000_000);
}
