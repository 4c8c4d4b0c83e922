//! The terms of a JSON-LD node: the node being built, the values it takes (links, texts in a language,
//! dates) and the URIs of languages and of laws at Lovdata.

use chrono::{DateTime, NaiveDate, Utc};
use oppvekstgraf_entity::enums::Language;
use sea_orm::ActiveEnum;
use serde_json::{Map, Value, json};

use crate::graphql::object::law::lovdata_path;

/// A JSON-LD node being built; empty values are left out.
pub(super) struct Doc(pub(super) Map<String, Value>);

impl Doc {
    /// Sets `term` unless the value is absent, null or an empty list.
    pub(super) fn put(&mut self, term: &str, value: impl IntoTerm) {
        match value.into_term() {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) if items.is_empty() => {}
            Some(value) => {
                self.0.insert(term.to_string(), value);
            }
        }
    }

    /// The finished document.
    pub(super) fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// What [`Doc::put`] takes: a JSON-LD value, a plain literal, a list, or nothing.
pub(super) trait IntoTerm {
    /// The value, or None to leave the term out.
    fn into_term(self) -> Option<Value>;
}

impl IntoTerm for Value {
    fn into_term(self) -> Option<Value> {
        Some(self)
    }
}

impl IntoTerm for Vec<Value> {
    fn into_term(self) -> Option<Value> {
        Some(Value::Array(self))
    }
}

impl IntoTerm for String {
    fn into_term(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl IntoTerm for &str {
    fn into_term(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl IntoTerm for i32 {
    fn into_term(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl<T: IntoTerm> IntoTerm for Option<T> {
    fn into_term(self) -> Option<Value> {
        self.and_then(IntoTerm::into_term)
    }
}

/// A link to another resource.
pub(super) fn iri(url: impl Into<String>) -> Value {
    json!({ "@id": url.into() })
}

/// A text in the node's language: `{"@value": …, "@language": "nb"}`.
pub(super) fn text(value: &str, language: Language) -> Value {
    json!({ "@value": value, "@language": language.to_value() })
}

/// An `xsd:date`.
pub(super) fn date(value: NaiveDate) -> Value {
    json!({ "@value": value.format("%Y-%m-%d").to_string(), "@type": "xsd:date" })
}

/// An `xsd:dateTime` in UTC.
pub(super) fn date_time(value: DateTime<Utc>) -> Value {
    json!({
        "@value": value.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "@type": "xsd:dateTime"
    })
}

/// The language in the EU Publications Office's authority list (as DCAT-AP-NO uses for `dct:language`).
pub(super) fn language_uri(language: Language) -> String {
    let code = match language {
        Language::Nb => "NOB",
        Language::Nn => "NNO",
        Language::Se => "SME",
        Language::En => "ENG",
    };
    format!("http://publications.europa.eu/resource/authority/language/{code}")
}

/// The consolidated text at Lovdata: `https://lovdata.no/dokument/NL/lov/2021-06-18-97` (regulations under
/// `SF/forskrift`).
pub fn lovdata_document_uri(lovdata_id: &str) -> String {
    let (kind, path) = lovdata_path(lovdata_id);
    let base = if kind == "lov" { "NL" } else { "SF" };
    format!("https://lovdata.no/dokument/{base}/{kind}/{path}")
}

/// The European Legislation Identifier of an act or regulation with a serial number, as the GraphQL `eli`
/// field gives it (`https://lovdata.no/eli/lov/2021/06/18/97/nor`); None for acts without one.
pub fn eli_uri(lovdata_id: &str) -> Option<String> {
    let (kind, path) = lovdata_path(lovdata_id);
    match path.split('-').collect::<Vec<_>>()[..] {
        [year, month, day, number] => Some(format!(
            "https://lovdata.no/eli/{kind}/{year}/{month}/{day}/{number}/nor"
        )),
        _ => None,
    }
}
