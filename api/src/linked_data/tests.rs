use super::*;

#[test]
fn segments_round_trip() {
    for node in NodeType::ALL {
        match type_segment(node) {
            Some(segment) => assert_eq!(node_of_segment(segment), Some(node)),
            None => assert_eq!(node, NodeType::Revision),
        }
    }
    assert_eq!(node_of_segment("revision"), None);
}

#[test]
fn lovdata_uris() {
    assert_eq!(
        eli_uri("LOV-2021-06-18-97").as_deref(),
        Some("https://lovdata.no/eli/lov/2021/06/18/97/nor")
    );
    assert_eq!(eli_uri("LOV-1967-02-10"), None);
    assert_eq!(
        lovdata_document_uri("FOR-2011-12-16-1256"),
        "https://lovdata.no/dokument/SF/forskrift/2011-12-16-1256"
    );
}

#[test]
fn base_from_host_or_config() {
    let mut headers = HeaderMap::new();
    assert_eq!(base_url(None, &headers), "http://localhost");
    headers.insert(
        header::HOST,
        header::HeaderValue::from_static("api.example.no:8080"),
    );
    assert_eq!(base_url(None, &headers), "http://api.example.no:8080");
    headers.insert(header::HOST, header::HeaderValue::from_static("evil/\"x"));
    assert_eq!(base_url(None, &headers), "http://localhost");
    assert_eq!(
        base_url(Some("https://oppvekst.example.no/"), &headers),
        "https://oppvekst.example.no"
    );
}
