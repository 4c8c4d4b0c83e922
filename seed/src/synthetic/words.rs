//! The small word lists the synthetic content is made of: plausible Norwegian names and titles, never real
//! municipalities' content.

use oppvekstgraf_entity::enums::{PlanKind, UnitKind};

/// First halves of municipality and place names.
pub const NAME_HEADS: [&str; 40] = [
    "Aust", "Berg", "Bjørk", "Bre", "Dal", "Eid", "Elve", "Fjell", "Fløy", "Fossa", "Gran", "Grøn",
    "Hall", "Hav", "Heg", "Hol", "Kvit", "Lang", "Lia", "Lyng", "Mo", "Myr", "Nord", "Ny", "Ose",
    "Rise", "Rød", "Sand", "Sel", "Sol", "Stein", "Stor", "Strand", "Sør", "Tind", "Tveit", "Vass",
    "Vest", "Øster", "Ås",
];

/// Second halves of municipality and place names.
pub const NAME_TAILS: [&str; 25] = [
    "vik", "dal", "nes", "berg", "fjord", "stad", "sund", "heim", "øy", "land", "bygd", "mark",
    "haug", "li", "ås", "rud", "seter", "vang", "strand", "våg", "bø", "hamn", "eng", "foss", "ø",
];

/// County names of the synthetic county codes 60–99 (no real county uses them).
pub const COUNTIES: [&str; 40] = [
    "Nordfjell",
    "Sørvika",
    "Austmark",
    "Vestkyst",
    "Midtdal",
    "Fjordane",
    "Innmark",
    "Havbygd",
    "Elvedal",
    "Skogli",
    "Kystheim",
    "Fjellbygd",
    "Sjøland",
    "Dalføre",
    "Vidde",
    "Tindeland",
    "Strandheim",
    "Myrland",
    "Øyrike",
    "Lyngdal",
    "Bergland",
    "Solside",
    "Vindheim",
    "Skjærgard",
    "Brekke",
    "Breland",
    "Jordbygd",
    "Nesland",
    "Åsland",
    "Grenland Nord",
    "Viksund",
    "Sandmark",
    "Holmeland",
    "Steinbygd",
    "Furuland",
    "Birkeland",
    "Elvland",
    "Tverrdal",
    "Høgfjell",
    "Kvitsjø",
];

/// Municipality-wide units every synthetic municipality starts with: name, kind and the index of the
/// parent among these (the first two have none).
pub const CORE_UNITS: [(&str, UnitKind, Option<usize>); 4] = [
    ("Kommunestyret", UnitKind::PoliticalBody, None),
    ("Kommunedirektøren", UnitKind::Administration, None),
    ("Kommunalsjef oppvekst", UnitKind::Role, Some(1)),
    ("Kommunalsjef helse og velferd", UnitKind::Role, Some(1)),
];

/// Services and bodies after the core units: name, kind, and whether they sit under oppvekst (else helse og
/// velferd).
pub const SERVICE_UNITS: [(&str, UnitKind, bool); 20] = [
    ("Helsestasjon for barn og unge", UnitKind::Service, false),
    ("Skolehelsetjenesten", UnitKind::Service, false),
    ("PP-tjenesten", UnitKind::Service, true),
    ("Barneverntjenesten", UnitKind::Service, false),
    ("NAV", UnitKind::ExternalPartner, false),
    ("Familiesenteret", UnitKind::Service, false),
    ("Kulturskolen", UnitKind::Service, true),
    ("Ungdomsklubben", UnitKind::Service, true),
    ("Psykisk helse og rus", UnitKind::Service, false),
    ("Barnehagekontoret", UnitKind::Administration, true),
    ("Skolekontoret", UnitKind::Administration, true),
    ("Flyktningtjenesten", UnitKind::Service, false),
    ("Frisklivssentralen", UnitKind::Service, false),
    ("Tverrfaglig team for barn og unge", UnitKind::Forum, true),
    ("Oppvekstforum", UnitKind::Forum, true),
    ("Ungdomsrådet", UnitKind::PoliticalBody, true),
    (
        "Politiet, forebyggende enhet",
        UnitKind::ExternalPartner,
        false,
    ),
    ("SLT-koordinator", UnitKind::Role, true),
    ("Fysioterapitjenesten for barn", UnitKind::Service, false),
    ("Utekontakten", UnitKind::Service, false),
];

/// Kinds of school or kindergarten units that fill a municipality up to its unit count.
pub const INSTITUTIONS: [&str; 4] = ["skole", "barnehage", "ungdomsskole", "barneskole"];

/// Plan kinds and title stems (the period is appended).
pub const PLANS: [(PlanKind, &str); 14] = [
    (PlanKind::ActionPart, "Handlingsdel – Oppvekstplan"),
    (PlanKind::MunicipalSubPlan, "Kommunedelplan for oppvekst"),
    (
        PlanKind::ActionPlan,
        "Handlingsplan mot vold i nære relasjoner",
    ),
    (PlanKind::ActionPlan, "Handlingsplan mot mobbing"),
    (PlanKind::ThematicPlan, "Temaplan for psykisk helse og rus"),
    (PlanKind::StrategicPlan, "Strategiplan for tidlig innsats"),
    (
        PlanKind::PreventiveWorkPlan,
        "Plan for forebyggende arbeid med barn og unge",
    ),
    (PlanKind::QualityPlan, "Kvalitetsplan for barnehagene"),
    (PlanKind::QualityPlan, "Kvalitetsplan for skolene"),
    (PlanKind::KnowledgeBase, "Oversikt over folkehelsen"),
    (PlanKind::CommunityPart, "Kommuneplanens samfunnsdel"),
    (PlanKind::EconomicPlan, "Økonomiplan"),
    (PlanKind::PlanningStrategy, "Planstrategi"),
    (PlanKind::Other, "Oppvekstplan"),
];

/// Verbs that open a measure title.
pub const ACTIONS: [&str; 12] = [
    "Styrke",
    "Etablere",
    "Videreutvikle",
    "Kartlegge",
    "Samordne",
    "Tilby",
    "Gjennomføre",
    "Evaluere",
    "Utvikle",
    "Innføre",
    "Sikre",
    "Prøve ut",
];

/// What a measure is about (follows an action).
pub const OBJECTS: [&str; 24] = [
    "foreldreveiledning i barnehagene",
    "tverrfaglig samarbeid om barn i risiko",
    "lavterskeltilbud for ungdom",
    "skolehelsetjenesten på ungdomstrinnet",
    "oppfølging av elever med høyt skolefravær",
    "rutiner for bekymringsmeldinger",
    "overgangen fra barnehage til skole",
    "gratis fritidsaktiviteter for barn i lavinntektsfamilier",
    "ungdomsrådets medvirkning i planarbeidet",
    "kompetanse om vold og overgrep blant ansatte",
    "tilbud om samtalegrupper for barn av foreldre med rus- eller psykiske vansker",
    "systematisk arbeid mot mobbing",
    "introduksjonsprogrammet for flyktningfamilier",
    "hjemmebesøk fra helsestasjonen",
    "kartlegging av språk i barnehagen",
    "et familieteam for familier med sammensatte behov",
    "leksehjelp og læringsstøtte",
    "fysisk aktivitet i skoletiden",
    "psykisk helse i skolen",
    "samarbeidet med frivillige lag og foreninger",
    "tidlig innsats i lese- og skriveopplæringen",
    "oppfølging av ungdom som står utenfor skole og arbeid",
    "rutiner for koordinator og individuell plan",
    "kunnskapsgrunnlaget om barn og unges levekår",
];

/// What a measure aims at (its summary).
pub const PURPOSES: [&str; 10] = [
    "Tiltaket skal gi barn og unge hjelp tidlig, før vanskene vokser seg store.",
    "Tiltaket skal gjøre det enklere for familier å få hjelp på ett sted.",
    "Tiltaket skal bidra til at flere fullfører videregående opplæring.",
    "Tiltaket skal styrke foreldrenes mestring i hverdagen.",
    "Tiltaket skal sikre at ingen barn står utenfor fellesskapet.",
    "Tiltaket skal gi ansatte felles kunnskap og felles rutiner.",
    "Tiltaket skal redusere sosiale forskjeller i helse og levekår.",
    "Tiltaket skal gjøre barn og unges stemme tydelig i kommunens arbeid.",
    "Tiltaket skal forebygge vold, overgrep og omsorgssvikt.",
    "Tiltaket skal gi et helhetlig og koordinert tilbud.",
];

/// How often a measure is carried out (`None`: not stated).
pub const FREQUENCIES: [Option<&str>; 7] = [
    None,
    Some("årlig"),
    Some("to ganger pr år"),
    Some("fire ganger pr år"),
    Some("månedlig"),
    Some("løpende"),
    Some("ved oppstart av skoleåret"),
];

/// Focus areas and goal statements of a plan.
pub const GOALS: [(&str, &str); 6] = [
    (
        "Tidlig innsats",
        "Barn og unge får riktig hjelp til rett tid.",
    ),
    (
        "Levekår og folkehelse",
        "Alle barn og unge har gode og trygge oppvekstvilkår.",
    ),
    (
        "Inkludering og deltakelse",
        "Alle barn og unge opplever å høre til i et fellesskap.",
    ),
    (
        "Psykisk helse",
        "Barn og unge mestrer hverdagen og vet hvor de kan få hjelp.",
    ),
    (
        "Læring og mestring",
        "Alle barn og unge lærer og utvikler seg ut fra sine forutsetninger.",
    ),
    (
        "Trygghet",
        "Barn og unge er trygge hjemme, i barnehagen, på skolen og i fritiden.",
    ),
];

/// Headings of the extra legal references (sections of the real acts) the synthetic content cites.
pub const SECTION_HEADINGS: [&str; 12] = [
    "Kommunens ansvar",
    "Formål",
    "Plikt til samarbeid",
    "Opplysningsplikt",
    "Taushetsplikt",
    "Rett til medvirkning",
    "Kommunens plikt til å tilby tjenester",
    "Tilsyn",
    "Individuell plan",
    "Internkontroll",
    "Oversikt over helsetilstand",
    "Tiltak for å fremme helse",
];

/// Lower-case `a-z0-9-` form of a name (æøå become ae, o, a, like the seed's slugs).
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            'a'..='z' | '0'..='9' => out.push(ch),
            'æ' => out.push_str("ae"),
            'ø' | 'ö' => out.push('o'),
            'å' | 'ä' => out.push('a'),
            'é' | 'è' => out.push('e'),
            _ => {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Øster-ås"), "oster-as");
        assert_eq!(
            slugify("Kommunalsjef helse og velferd"),
            "kommunalsjef-helse-og-velferd"
        );
        assert_eq!(
            slugify("Politiet, forebyggende enhet"),
            "politiet-forebyggende-enhet"
        );
        assert_eq!(slugify("Bjørkvik"), "bjorkvik");
        assert_eq!(slugify("Sæle"), "saele");
    }

    #[test]
    fn names_are_unique() {
        let mut all: Vec<String> = NAME_HEADS
            .iter()
            .flat_map(|h| NAME_TAILS.iter().map(move |t| format!("{h}{t}")))
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
        let mut counties = COUNTIES.to_vec();
        counties.sort();
        counties.dedup();
        assert_eq!(counties.len(), COUNTIES.len());
    }
}
