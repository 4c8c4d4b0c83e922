//! Rules on the shape of the workspace's own code, checked on its sources parsed with `syn` (no database): no
//! import cycle between files, no file over 400 lines, no function over 80 lines.

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    fs,
    path::PathBuf,
};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// The source folders of the workspace's crates, from the workspace root.
#[rustfmt::skip]
const SOURCE_DIRS: [&str; 6] = ["api/src", "catalog/src", "entity/src", "migration/src", "seed/src", "src"];
/// Where files may depend on each other in a cycle: GraphQL object types are mutually recursive (a plan
/// lists its measures, a measure its plans), so their files name each other.
const CYCLES_ALLOWED_UNDER: &str = "api/src/graphql/object/";
const MAX_FILE_LINES: usize = 400;
const MAX_FN_LINES: usize = 80;

/// One parsed source file.
struct Source {
    /// From the workspace root, with `/`.
    path: String,
    text: String,
    ast: syn::File,
}

/// Every `.rs` file under the source folders, parsed, in path order.
fn sources() -> Vec<Source> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = SOURCE_DIRS.iter().map(|dir| root.join(dir)).collect();
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    let parse = |file: PathBuf| {
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let path = file.strip_prefix(&root).expect("under the root");
        let path = path.to_string_lossy().replace('\\', "/");
        Source { path, text, ast }
    };
    files.into_iter().map(parse).collect()
}

/// Whether `source` is written by hand and may change: not generated (its first lines say `@generated`), and
/// not a migration (`migration/src/m<date>_<n>_<name>.rs`, e.g. `m20261126_000001_content_graph.rs`). The
/// migrations are frozen: they are history, and one that has run on some database must never change (not
/// even to be split), or databases migrated before and after the change differ.
fn hand_written(source: &Source) -> bool {
    let migration = source.path.strip_prefix("migration/src/m");
    let frozen = migration.is_some_and(|name| name.starts_with(|c: char| c.is_ascii_digit()));
    let mut head = source.text.lines().take(3);
    !frozen && !head.any(|line| line.contains("@generated"))
}

/// Fails listing `found`, when there is any.
#[track_caller]
fn assert_none(what: &str, found: &[String]) {
    let list = found.join("\n");
    assert!(found.is_empty(), "{} {what}:\n{list}", found.len());
}

/// A module that is a file: its crate (its source folder, or the file for a crate of its own) and its path
/// of names from the crate root.
type Module = (String, Vec<String>);

/// The module `source` is: `foo.rs` and `foo/mod.rs` are `foo`, `lib.rs` and `main.rs` the crate root (no file
/// uses `#[path]`). A `bin/<name>.rs`, or a `main.rs` beside a `lib.rs`, is a crate of its own.
fn module_of(source: &Source, sources: &[Source]) -> Module {
    let path = &source.path;
    let dir = SOURCE_DIRS
        .into_iter()
        .find(|dir| path.starts_with(&format!("{dir}/")));
    let dir = dir.expect("in a source folder");
    let rest = &path[dir.len() + 1..path.len() - ".rs".len()];
    let lib = format!("{dir}/lib.rs");
    if rest.starts_with("bin/") || rest == "main" && sources.iter().any(|s| s.path == lib) {
        return (path.to_string(), Vec::new());
    }
    let mut names: Vec<String> = rest.split('/').map(String::from).collect();
    if ["mod", "lib", "main"].contains(&names[names.len() - 1].as_str()) {
        names.pop();
    }
    (dir.to_string(), names)
}

/// Collects the paths a file names from `crate`, `super` or `self`: in `use` trees, expressions, types,
/// patterns and macro paths, and inside macro arguments. Visibilities (`pub(crate)`) name nothing. A
/// module naming its own children (`child::item`) is the module built from its files, not a dependency.
#[derive(Default)]
struct Names {
    /// The module being read: the file's, then an inline module's in it (`mod tests { … }`).
    module: Vec<String>,
    /// Each path from the crate root, as written, and its line.
    found: Vec<(Vec<String>, String, usize)>,
}

impl Names {
    fn push(&mut self, path: &[String], line: usize) {
        let supers = path.iter().take_while(|name| *name == "super").count();
        let base = match path.first().map(String::as_str) {
            Some("crate") => &[][..],
            Some("super") => &self.module[..self.module.len().saturating_sub(supers)],
            Some("self") if path.len() > 1 => &self.module[..],
            _ => return,
        };
        let full = [base, &path[supers.max(1)..]].concat();
        self.found.push((full, path.join("::"), line));
    }

    fn use_tree(&mut self, tree: &syn::UseTree, mut prefix: Vec<String>) {
        let ident = match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                return self.use_tree(&path.tree, prefix);
            }
            syn::UseTree::Group(group) => {
                let trees = group.items.iter();
                return trees.for_each(|tree| self.use_tree(tree, prefix.clone()));
            }
            syn::UseTree::Glob(glob) => {
                return self.push(&prefix, glob.star_token.span.start().line);
            }
            syn::UseTree::Name(name) => &name.ident,
            syn::UseTree::Rename(rename) => &rename.ident,
        };
        if ident != "self" {
            prefix.push(ident.to_string());
        }
        self.push(&prefix, ident.span().start().line);
    }

    /// The paths in a macro's tokens, which syn leaves unparsed.
    fn tokens(&mut self, tokens: TokenStream) {
        let colon = |tree: &TokenTree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ':');
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            let TokenTree::Ident(ident) = tree else {
                if let TokenTree::Group(group) = tree {
                    self.tokens(group.stream());
                }
                continue;
            };
            let rest = trees[i + 1..].chunks_exact(3).map_while(|next| match next {
                [a, b, TokenTree::Ident(name)] if colon(a) && colon(b) => Some(name.to_string()),
                _ => None,
            });
            let path: Vec<String> = std::iter::once(ident.to_string()).chain(rest).collect();
            if path.len() > 1 {
                self.push(&path, ident.span().start().line);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if let Some((_, items)) = &module.content {
            self.module.push(module.ident.to_string());
            items.iter().for_each(|item| self.visit_item(item));
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, Vec::new());
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let line = path.segments[0].ident.span().start().line;
            self.push(&names, line);
        }
        visit::visit_path(self, path);
    }

    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.tokens(mac.tokens.clone());
    }
}

/// For each file, the files it depends on, each with the first line and path that names it.
type Graph = Vec<BTreeMap<usize, (usize, String)>>;

fn graph(sources: &[Source]) -> Graph {
    let modules: Vec<Module> = sources.iter().map(|s| module_of(s, sources)).collect();
    let files: HashMap<Module, usize> = modules.iter().cloned().zip(0..).collect();
    // The file a path from the crate root of `file` is in: its longest prefix that is a file (so
    // `use super::X` of an item the parent only re-exports is the parent).
    let file_of = |file: usize, path: &[String]| {
        let prefix = |n: usize| files.get(&(modules[file].0.clone(), path[..n].to_vec()));
        (0..=path.len()).rev().find_map(prefix).copied()
    };
    let edges_of = |(file, source): (usize, &Source)| {
        let module = modules[file].1.clone();
        let mut names = Names {
            module,
            ..Names::default()
        };
        names.visit_file(&source.ast);
        let mut edges = BTreeMap::new();
        for (path, written, line) in names.found {
            if let Some(to) = file_of(file, &path).filter(|&to| to != file) {
                edges.entry(to).or_insert((line, written));
            }
        }
        edges
    };
    sources.iter().enumerate().map(edges_of).collect()
}

/// Tarjan's algorithm: the strongly connected components of a graph, those of more than one file kept.
#[derive(Default)]
struct Tarjan {
    numbers: HashMap<usize, usize>,
    stack: Vec<usize>,
    components: Vec<Vec<usize>>,
}

impl Tarjan {
    fn components(graph: &Graph) -> Vec<Vec<usize>> {
        let mut tarjan = Tarjan::default();
        for v in 0..graph.len() {
            if !tarjan.numbers.contains_key(&v) {
                tarjan.connect(graph, v);
            }
        }
        tarjan.components
    }

    /// Numbers `v` and what it reaches; the lowest number `v` reaches among the files still on the stack.
    fn connect(&mut self, graph: &Graph, v: usize) -> usize {
        let number = self.numbers.len();
        self.numbers.insert(v, number);
        let height = self.stack.len();
        self.stack.push(v);
        let mut low = number;
        for &w in graph[v].keys() {
            match self.numbers.get(&w) {
                None => low = low.min(self.connect(graph, w)),
                Some(&reached) if self.stack.contains(&w) => low = low.min(reached),
                Some(_) => {}
            }
        }
        if low == number {
            let mut component = self.stack.split_off(height);
            if component.len() > 1 {
                component.sort_unstable();
                self.components.push(component);
            }
        }
        low
    }
}

/// A shortest chain of edges from the first file of `component` back to it.
fn chain(graph: &Graph, component: &[usize]) -> Vec<usize> {
    let start = component[0];
    let mut came_from = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in graph[v].keys().filter(|w| component.contains(w)) {
            if w == start {
                let mut chain = vec![start, v];
                while let Some(&from) = came_from.get(&chain[chain.len() - 1]) {
                    chain.push(from);
                }
                chain.reverse();
                return chain;
            }
            came_from.entry(w).or_insert_with(|| {
                queue.push_back(w);
                v
            });
        }
    }
    unreachable!("a strongly connected component has a cycle through each of its files")
}

/// The files of a cycle, and one chain of edges through it with where each is named.
fn describe(sources: &[Source], graph: &Graph, component: &[usize]) -> String {
    let files: Vec<_> = component.iter().map(|&f| &*sources[f].path).collect();
    let mut out = format!("cycle between {}:", files.join(", "));
    for pair in chain(graph, component).windows(2) {
        let (line, path) = &graph[pair[0]][&pair[1]];
        let (from, to) = (&sources[pair[0]].path, &sources[pair[1]].path);
        out.push_str(&format!("\n  {from}:{line} names {path} -> {to}"));
    }
    out
}

/// A file depends on the files whose items it names. Dependencies go one way, so each file can be read,
/// tested and changed knowing only what it uses; a cycle ties its files into one. The GraphQL object types
/// are exempt: their types are mutually recursive.
#[test]
fn no_import_cycle_between_files() {
    let sources = sources();
    let graph = graph(&sources);
    let allowed = |&f: &usize| sources[f].path.starts_with(CYCLES_ALLOWED_UNDER);
    let cycles: Vec<String> = Tarjan::components(&graph)
        .into_iter()
        .filter(|files| !files.iter().all(allowed))
        .map(|files| describe(&sources, &graph, &files))
        .collect();
    assert_none("import cycle(s)", &cycles);
}

/// A file is read as a whole: past 400 lines it holds more than one thing, and its parts want files of
/// their own, named after what they hold.
#[test]
fn no_file_over_400_lines() {
    let mut long = Vec::new();
    for source in sources().iter().filter(|source| hand_written(source)) {
        let (path, lines) = (&source.path, source.text.lines().count());
        if lines > MAX_FILE_LINES {
            long.push(format!("{path} {lines} lines (limit {MAX_FILE_LINES})"));
        }
    }
    assert_none("file(s) too long", &long);
}

/// The functions in `items`, with their first line, name (`Type::method` for a method) and length from
/// `fn` to the closing brace. A function nested in a body is not listed: the one around it is longer.
fn functions(items: &[syn::Item], out: &mut Vec<(usize, String, usize)>) {
    let record =
        |out: &mut Vec<_>, owner: Option<&syn::Ident>, sig: &syn::Signature, block: &syn::Block| {
            let start = sig.fn_token.span.start().line;
            let lines = block.brace_token.span.close().end().line + 1 - start;
            let name = match owner {
                Some(owner) => format!("{owner}::{}", sig.ident),
                None => sig.ident.to_string(),
            };
            out.push((start, name, lines));
        };
    for item in items {
        match item {
            syn::Item::Fn(item) => record(out, None, &item.sig, &item.block),
            syn::Item::Impl(item) => {
                let owner = match &*item.self_ty {
                    syn::Type::Path(ty) => ty.path.segments.last().map(|s| &s.ident),
                    _ => None,
                };
                for method in &item.items {
                    if let syn::ImplItem::Fn(method) = method {
                        record(out, owner, &method.sig, &method.block);
                    }
                }
            }
            syn::Item::Trait(item) => {
                for method in &item.items {
                    if let syn::TraitItem::Fn(method) = method
                        && let Some(block) = &method.default
                    {
                        record(out, Some(&item.ident), &method.sig, block);
                    }
                }
            }
            syn::Item::Mod(item) => item
                .content
                .iter()
                .for_each(|(_, items)| functions(items, out)),
            _ => {}
        }
    }
}

/// A function is understood at once: past 80 lines (from `fn` to its closing brace) it does several things,
/// and each wants a name of its own.
#[test]
fn no_function_over_80_lines() {
    let mut long = Vec::new();
    for source in sources().iter().filter(|source| hand_written(source)) {
        let mut found = Vec::new();
        functions(&source.ast.items, &mut found);
        for (line, name, lines) in found {
            let at = format!("{}:{line} {name}", source.path);
            if lines > MAX_FN_LINES {
                long.push(format!("{at} {lines} lines (limit {MAX_FN_LINES})"));
            }
        }
    }
    assert_none("function(s) too long", &long);
}
