//! Test support: hostile GraphQL documents built to a size.

/// `n` fragments, each spreading the previous one `fan` times: expands to `fan^n` fields.
pub fn fan_out(n: usize, fan: usize) -> String {
    let mut doc = format!("query {{ ...F{n} }}\nfragment F0 on Query {{ __typename }}\n");
    for i in 1..=n {
        let spreads = vec![format!("...F{}", i - 1); fan].join(" ");
        doc.push_str(&format!("fragment F{i} on Query {{ {spreads} }}\n"));
    }
    doc
}
