use super::*;

fn cache(max: usize) -> Arc<ResponseCache> {
    let metrics = Arc::new(Metrics::new(&crate::db::StatementCounter::default()));
    let cache = ResponseCache::new(max, metrics);
    cache.reset(10);
    cache
}

fn deps(tags: &[Tag]) -> Deps {
    let deps = Deps::default();
    for tag in tags {
        deps.add(*tag);
    }
    deps
}

#[test]
fn invalidation_drops_only_what_carries_a_tag() {
    let cache = cache(1 << 20);
    let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let k1 = ResponseCache::key("{ a }", None, "{}");
    let k2 = ResponseCache::key("{ b }", None, "{}");
    let k3 = ResponseCache::key("{ c }", None, "{}");
    assert!(cache.insert(k1, "1".into(), "\"1\"".into(), &deps(&[Tag::Node(a)]), 10));
    assert!(cache.insert(
        k2,
        "2".into(),
        "\"2\"".into(),
        &deps(&[Tag::Node(b), Tag::Type(NodeType::Plan)]),
        10
    ));
    assert!(cache.insert(k3, "3".into(), "\"3\"".into(), &deps(&[Tag::Node(c)]), 10));
    assert_eq!(cache.invalidate(&HashSet::from([Tag::Node(a)]), 11), 1);
    assert!(cache.get(&k1).is_none());
    assert!(cache.get(&k2).is_some() && cache.get(&k3).is_some());
    assert_eq!(
        cache.invalidate(&HashSet::from([Tag::Type(NodeType::Plan)]), 12),
        1
    );
    assert!(cache.get(&k2).is_none() && cache.get(&k3).is_some());
    assert_eq!(cache.watermark(), 12);
}

#[test]
fn a_result_read_before_an_invalidation_is_not_stored() {
    let cache = cache(1 << 20);
    let seen = cache.watermark();
    cache.invalidate(&HashSet::new(), seen + 1);
    let key = ResponseCache::key("{ a }", None, "{}");
    assert!(!cache.insert(key, "old".into(), "\"o\"".into(), &deps(&[]), seen));
    assert!(cache.get(&key).is_none());
    assert!(cache.insert(key, "new".into(), "\"n\"".into(), &deps(&[]), seen + 1));
}

#[test]
fn uncacheable_results_and_a_closed_cache_store_nothing() {
    let open = cache(1 << 20);
    let never = deps(&[]);
    never.uncacheable();
    let key = ResponseCache::key("{ changes }", None, "{}");
    assert!(!open.insert(key, "x".into(), "\"x\"".into(), &never, 10));
    let off = cache(0);
    assert!(!off.enabled());
    assert!(!off.insert(key, "x".into(), "\"x\"".into(), &deps(&[]), 10));
    // Before the watermark is read from the feed nothing is stored.
    let metrics = Arc::new(Metrics::new(&crate::db::StatementCounter::default()));
    let fresh = ResponseCache::new(1 << 20, metrics);
    assert!(!fresh.insert(key, "x".into(), "\"x\"".into(), &deps(&[]), 0));
}

#[test]
fn the_least_recently_used_go_beyond_the_budget() {
    // Room for three bodies of 500 bytes (each weighs 756 with its overhead).
    let cache = cache(2_500);
    let body = || Bytes::from(vec![b'x'; 500]);
    let keys: Vec<Key> = (0..4)
        .map(|i| ResponseCache::key(&format!("{{ f{i} }}"), None, "{}"))
        .collect();
    for key in &keys[..2] {
        assert!(cache.insert(*key, body(), "\"e\"".into(), &deps(&[]), 10));
    }
    // Touch the first so the second is the least recently used.
    assert!(cache.get(&keys[0]).is_some());
    for key in &keys[2..] {
        assert!(cache.insert(*key, body(), "\"e\"".into(), &deps(&[]), 10));
    }
    assert!(cache.get(&keys[1]).is_none());
    assert!(cache.get(&keys[0]).is_some() && cache.get(&keys[3]).is_some());
    // One result larger than the whole budget is never stored.
    let huge = Bytes::from(vec![b'x'; 4_000]);
    assert!(!cache.insert(keys[1], huge, "\"h\"".into(), &deps(&[]), 10));
}

#[test]
fn keys_separate_document_operation_and_variables() {
    let base = ResponseCache::key("query A { a }", Some("A"), "{}");
    assert_ne!(base, ResponseCache::key("query A { a }", None, "{}"));
    assert_ne!(
        base,
        ResponseCache::key("query A { a }", Some("A"), "{\"x\":1}")
    );
    assert_ne!(base, ResponseCache::key("query A { b }", Some("A"), "{}"));
    // Length-prefixed: moving text between parts changes the key.
    assert_ne!(
        ResponseCache::key("ab", Some("c"), ""),
        ResponseCache::key("a", Some("bc"), "")
    );
}
