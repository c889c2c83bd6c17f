//! The three real dispatches of `../shared/seeds/`: who is credited with what.

use stance::actor::Gazetteer;
use stance::dispatch::parse_path;
use stance::statement::extract_statements;

/// (seed file, statement opening, speaker id)
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "000_6a37dad48ac8d042.txt",
        "mettre fin aux violences et protéger",
        "mike-pompeo",
    ),
    (
        "000_6a37dad48ac8d042.txt",
        "sans usage ou menace",
        "mike-pompeo",
    ),
    (
        "000_6a37dad48ac8d042.txt",
        "l’occupation",
        "jeyhun-bayramov",
    ),
    (
        "000_6a37dad48ac8d042.txt",
        "Nous nous sommes engagés",
        "jeyhun-bayramov",
    ),
    (
        "000_6a37dad48ac8d042.txt",
        "L’Arménie doit cesser",
        "jeyhun-bayramov",
    ),
    (
        "000_6a37dad48ac8d042.txt",
        "avec du soutien technique",
        "zohrab-mnatsakanyan",
    ),
    ("000_6a37dad48ac8d042.txt", "se défendre", "mike-pompeo"),
    (
        "002_9babb42f7cf598cd.txt",
        "rester à l’écart",
        "mike-pompeo",
    ),
    (
        "002_9babb42f7cf598cd.txt",
        "Nous avons rejoint",
        "mike-pompeo",
    ),
    (
        "002_9babb42f7cf598cd.txt",
        "Nous avons regardé",
        "mike-pompeo",
    ),
    (
        "002_9babb42f7cf598cd.txt",
        "Nous avons vu la Turquie",
        "mike-pompeo",
    ),
    (
        "002_9babb42f7cf598cd.txt",
        "Nous avons fait un travail",
        "mike-pompeo",
    ),
    (
        "002_9babb42f7cf598cd.txt",
        "les étrangers devraient",
        "mike-pompeo",
    ),
    ("002_9babb42f7cf598cd.txt", "l’effondrement", "joe-biden"),
    (
        "002_9babb42f7cf598cd.txt",
        "Plutôt que de déléguer",
        "joe-biden",
    ),
    (
        "002_9babb42f7cf598cd.txt",
        "accordait une grande attention",
        "mike-pompeo",
    ),
    ("003_396efe299cac4d06.txt", "salué", "mike-pompeo"),
    (
        "003_396efe299cac4d06.txt",
        "dès que possible",
        "mike-pompeo",
    ),
    (
        "003_396efe299cac4d06.txt",
        "Depuis le début des récentes hostilités",
        "mike-pompeo",
    ),
    (
        "003_396efe299cac4d06.txt",
        "Mettre fin aux récents combats",
        "mike-pompeo",
    ),
    (
        "003_396efe299cac4d06.txt",
        "Nous exhortons toutes les parties",
        "mike-pompeo",
    ),
    (
        "003_396efe299cac4d06.txt",
        "afin de rechercher",
        "mike-pompeo",
    ),
    (
        "003_396efe299cac4d06.txt",
        "beaucoup de questions",
        "us-gov",
    ),
];

#[test]
fn seeds_statements_and_speakers() {
    let Some(shared) = crate::shared("seeds_statements_and_speakers") else {
        return;
    };
    let g = Gazetteer::default_karabakh();
    let mut found = 0;
    for (file, opening, speaker) in EXPECTED {
        let d = parse_path(&shared.join("seeds").join(file)).unwrap();
        let st = extract_statements(&d, &g);
        let hit = st.iter().find(|s| s.text.starts_with(opening));
        let got = hit.map(|s| s.speaker_id(&g).to_string());
        assert_eq!(
            got.as_deref(),
            Some(*speaker),
            "{file}: «{opening}…» in {:#?}",
            st.iter()
                .map(|s| (&s.text, s.speaker_id(&g)))
                .collect::<Vec<_>>()
        );
        found += 1;
    }
    // the section title «Occupation» is not a statement
    let d = parse_path(&shared.join("seeds/000_6a37dad48ac8d042.txt")).unwrap();
    assert!(
        extract_statements(&d, &g)
            .iter()
            .all(|s| s.text != "Occupation")
    );
    println!("seeds: {found} expected statements found with their speakers");
}

#[test]
fn seed_dates_and_paragraphs() {
    let Some(shared) = crate::shared("seed_dates_and_paragraphs") else {
        return;
    };
    let cases: &[(&str, Option<&str>, usize)] = &[
        ("000_6a37dad48ac8d042.txt", Some("2020-10"), 14),
        ("002_9babb42f7cf598cd.txt", None, 10),
        ("003_396efe299cac4d06.txt", Some("2020-11-17"), 8),
    ];
    for (file, date, paragraphs) in cases {
        let d = parse_path(&shared.join("seeds").join(file)).unwrap();
        assert_eq!(d.date.map(|d| d.to_string()).as_deref(), *date, "{file}");
        assert_eq!(
            d.paragraphs.len(),
            *paragraphs,
            "{file}: {:#?}",
            d.paragraphs
                .iter()
                .map(|p| &d.body[p.clone()])
                .collect::<Vec<_>>()
        );
    }
}
