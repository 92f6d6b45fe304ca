//! Table-driven tests of the context rules and of document-level linking, each row also run
//! in ALL CAPS where the rules must stay quiet.

use quipu::{Gazetteer, Source, Tagger};

const GAZETTEER: &str = "\
peru | PLACE | Peru |
lima | PLACE | Lima |
salinas-city | PLACE | Salinas |
alvarado-city | PLACE | Alvarado |
trujillo-city | PLACE | Trujillo |
us | PLACE | United States | =US; U.S.
oas | INSTITUTION | Organization of American States | =OAS
eu | INSTITUTION | European Union | =EU
dea | INSTITUTION | Drug Enforcement Administration |
fujimori | PERSON | Alberto Fujimori | Fujimori
";

fn tagger(rules: bool, linking: bool) -> Tagger {
    let g = Gazetteer::parse_text("rules.gaz", GAZETTEER).unwrap();
    Tagger::builder()
        .default_gazetteer(false)
        .gazetteer(g)
        .rules(rules)
        .linking(linking)
        .build()
        .unwrap()
}

/// (text, type, source) of each span.
fn found(t: &Tagger, text: &str) -> Vec<(String, String, String)> {
    t.tag(text)
        .into_iter()
        .map(|s| (s.text, s.entity_type.to_string(), s.source.to_string()))
        .collect()
}

fn want(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

type Table<'a> = &'a [(&'a str, &'a [(&'a str, &'a str, &'a str)])];

/// Runs every row and reports all the rows that fail at once.
fn check_table(t: &Tagger, table: Table) {
    let mut failures = Vec::new();
    for (text, rows) in table {
        let got = found(t, text);
        if got != want(rows) {
            failures.push(format!("{text:?}: got {got:?}, want {rows:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rules_table() {
    let t = tagger(true, false);
    let table: Table = &[
        (
            "Gen. Jaime Salinas planned it.",
            &[("Jaime Salinas", "PERSON", "rule:title")],
        ),
        (
            "Army Commander Hermoza ordered troops.",
            &[("Hermoza", "PERSON", "rule:title")],
        ),
        (
            "former Vice President San Roman",
            &[("San Roman", "PERSON", "rule:title")],
        ),
        (
            "Ambassador Lisa Kenna's cable",
            &[("Lisa Kenna", "PERSON", "rule:title")],
        ),
        (
            "the journalist Gustavo Gorriti wrote",
            &[("Gustavo Gorriti", "PERSON", "rule:title")],
        ),
        (
            "Judge María de los Ángeles Álvarez ruled",
            &[("María de los Ángeles Álvarez", "PERSON", "rule:title")],
        ),
        ("the General Staff met", &[]),
        (
            "the General Assembly met",
            &[("General Assembly", "INSTITUTION", "rule:org-keyword")],
        ),
        ("the President of Peru", &[("Peru", "PLACE", "gazetteer")]),
        ("President Fujimori", &[("Fujimori", "PERSON", "gazetteer")]),
        (
            "linked to Jonathan Huacac Torrico, a captain",
            &[("Jonathan Huacac Torrico", "PERSON", "rule:first-name")],
        ),
        (
            "with Mariano Alvarado in Piura",
            &[("Mariano Alvarado", "PERSON", "rule:first-name")],
        ),
        (
            "CÃ©sar Vallejo wrote poems",
            &[("CÃ©sar Vallejo", "PERSON", "rule:first-name")],
        ),
        (
            "the National Intelligence Directorate said",
            &[(
                "National Intelligence Directorate",
                "INSTITUTION",
                "rule:org-keyword",
            )],
        ),
        (
            "The Ministry of Women and Vulnerable Populations",
            &[(
                "Ministry of Women and Vulnerable Populations",
                "INSTITUTION",
                "rule:org-keyword",
            )],
        ),
        (
            "the Lima Stock Exchange fell",
            &[("Lima Stock Exchange", "INSTITUTION", "rule:org-keyword")],
        ),
        ("the Army and Navy", &[]),
        (
            "Organization of American States and the European Union",
            &[
                (
                    "Organization of American States",
                    "INSTITUTION",
                    "gazetteer",
                ),
                ("European Union", "INSTITUTION", "gazetteer"),
            ],
        ),
        (
            "a crowd on Jirón de la Unión",
            &[("Jirón de la Unión", "PLACE", "rule:street")],
        ),
        (
            "the Mexican embassy said",
            &[("Mexican embassy", "INSTITUTION", "rule:embassy")],
        ),
        (
            "the U.S. embassy said",
            &[("U.S. embassy", "INSTITUTION", "rule:embassy")],
        ),
        (
            "the US Drug Enforcement Administration",
            &[(
                "US Drug Enforcement Administration",
                "INSTITUTION",
                "rule:org-keyword",
            )],
        ),
        (
            "the DEA and Peru DEA agents",
            &[("Peru", "PLACE", "gazetteer")],
        ),
        (
            "the Peru Drug Enforcement Administration office",
            &[(
                "Peru Drug Enforcement Administration",
                "INSTITUTION",
                "rule:org-keyword",
            )],
        ),
        ("helpful to US officials", &[("US", "PLACE", "gazetteer")]),
        ("\"LET US SEE THE FILES\"", &[]),
    ];
    check_table(&t, table);
}

#[test]
fn all_caps_text_does_not_fire_on_every_word() {
    let t = tagger(true, true);
    let cable = "THE GENERAL RELATIONSHIP WITH THE MINISTRY REMAINS GOOD. MAJOR ACQUISITIONS ARE NOT\n\
                 EXPECTED. THE NATIONAL POLICE AND THE NAVY WILL HELP US. WE WILL BRIEF US OFFICIALS.\n\
                 SUPPLY RELATIONSHIP WITH US IS UNLIKELY. GENERAL HERMOZA RIOS MET THE AMBASSADOR.\n";
    let got = found(&t, cable);
    assert_eq!(
        got,
        want(&[
            ("US", "PLACE", "gazetteer"),
            ("HERMOZA RIOS", "PERSON", "rule:title"),
        ]),
        "{got:?}"
    );
}

#[test]
fn linking_table() {
    let t = tagger(true, true);
    let table: Table = &[
        (
            "Gen. Jaime Salinas led the plot. Later Salinas fled; Jaime hid.",
            &[
                ("Jaime Salinas", "PERSON", "rule:title"),
                ("Salinas", "PERSON", "linked"),
                ("Jaime", "PERSON", "linked"),
            ],
        ),
        (
            // A surname before the full name is not linked.
            "Salinas met Gen. Jaime Salinas.",
            &[
                ("Salinas", "PLACE", "gazetteer"),
                ("Jaime Salinas", "PERSON", "rule:title"),
            ],
        ),
        (
            "the Military Assistance and Advisory Group (MAAG) grew; MAAG officers stayed.",
            &[
                (
                    "Military Assistance and Advisory Group",
                    "INSTITUTION",
                    "rule:org-keyword",
                ),
                ("MAAG", "INSTITUTION", "rule:acronym"),
                ("MAAG", "INSTITUTION", "linked"),
            ],
        ),
        (
            "Rafael Trujillo ruled; the port of Trujillo is elsewhere.",
            &[
                ("Rafael Trujillo", "PERSON", "rule:first-name"),
                ("Trujillo", "PLACE", "gazetteer"),
            ],
        ),
        (
            // Ambiguous surnames link nothing.
            "Ana Pérez and Luis Pérez met. Pérez spoke.",
            &[
                ("Ana Pérez", "PERSON", "rule:first-name"),
                ("Luis Pérez", "PERSON", "rule:first-name"),
            ],
        ),
        (
            "GEN. JAIME SALINAS PLANNED IT. SALINAS FLED.",
            &[
                ("JAIME SALINAS", "PERSON", "rule:title"),
                ("SALINAS", "PERSON", "linked"),
            ],
        ),
    ];
    check_table(&t, table);
}

#[test]
fn rules_and_linking_switch_off() {
    let text = "Gen. Jaime Salinas led. Salinas fled.";
    let off = tagger(false, false);
    let got = found(&off, text);
    assert!(got.iter().all(|(_, _, s)| s == "gazetteer"), "{got:?}");
    let on = tagger(true, true);
    let spans = on.tag(text);
    assert!(spans.iter().any(|s| matches!(s.source, Source::Rule(_))));
    assert!(spans.iter().any(|s| s.source == Source::Linked));
    // Every span still points into the text exactly.
    for s in spans {
        assert_eq!(&text[s.byte_start..s.byte_end], s.text);
    }
}

#[test]
fn rules_run_piece_by_piece_on_long_texts() {
    // Over a megabyte on one line, with two-byte characters: every rule-found name is found,
    // and no piece boundary cuts one.
    let t = tagger(true, false);
    let unit = "Según Gen. Jaime Salinas, é ";
    let text = unit.repeat(60_000);
    assert!(text.len() > 1 << 20);
    let spans = t.tag(&text);
    assert_eq!(spans.len(), 60_000);
    assert!(spans.iter().all(|s| s.text == "Jaime Salinas"));
}
