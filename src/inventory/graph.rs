//! Questions asked of the dependency graph: how a component got in, what is unreachable, and
//! where the graph loops.

use super::{ComponentId, Inventory};
use petgraph::algo::tarjan_scc;
use petgraph::graph::NodeIndex;
use petgraph::Direction;
use std::collections::VecDeque;

/// Inclusion paths from a root to a component: each path lists component ids, root first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionPaths {
    pub paths: Vec<Vec<ComponentId>>,
    /// True when the search stopped at the limit and more paths exist.
    pub truncated: bool,
}

/// The end of a chain of partial-path links.
const NO_LINK: u32 = u32::MAX;

/// The nodes of the partial path whose head is `arena[at]`, head first (root first once the
/// head is a root).
fn chain(arena: &[(ComponentId, u32)], mut at: u32) -> impl Iterator<Item = ComponentId> + '_ {
    std::iter::from_fn(move || {
        let &(node, prev) = arena.get(at as usize)?;
        at = prev;
        Some(node)
    })
}

impl Inventory {
    /// Every inclusion path from a root to `target`, shortest first, at most `limit` of them.
    ///
    /// The search walks backwards from the target breadth first, so paths come out in order of
    /// length; a node never repeats within a path, so cycles end. Partial paths are kept as
    /// links in one arena (a node and the entry it extends) rather than as copied vectors: the
    /// arena is also the queue, read in the order it is written.
    pub fn inclusion_paths(&self, target: ComponentId, limit: usize) -> InclusionPaths {
        let mut out = Vec::new();
        // Bounds the work on graphs with very many paths, even when few end at a root.
        // Enough for every path of ordinary graphs; on graphs with a combinatorial number of
        // paths the search stops early and says so.
        let mut budget = limit.saturating_mul(2000).max(10_000);
        let mut arena: Vec<(ComponentId, u32)> = vec![(target, NO_LINK)];
        let mut parents = Vec::new();
        let mut next = 0usize;
        while next < arena.len() {
            let at = next as u32;
            let head = arena[next].0;
            next += 1;
            if self.roots.contains(&head) {
                if out.len() == limit {
                    return InclusionPaths {
                        paths: out,
                        truncated: true,
                    };
                }
                out.push(chain(&arena, at).collect());
            }
            // Parents in id order (input order), so the output is stable across runs.
            parents.clear();
            parents.extend(
                self.graph
                    .neighbors_directed(NodeIndex::new(head), Direction::Incoming)
                    .map(|n| n.index()),
            );
            parents.sort_unstable();
            for &parent in &parents {
                if chain(&arena, at).any(|n| n == parent) {
                    continue;
                }
                if budget == 0 {
                    return InclusionPaths {
                        paths: out,
                        truncated: true,
                    };
                }
                budget -= 1;
                arena.push((parent, at));
            }
        }
        InclusionPaths {
            paths: out,
            truncated: false,
        }
    }

    /// One shortest inclusion path to every component reachable from a root, as parent links:
    /// `parents[c]` is the component that includes `c` on a shortest path (roots have none).
    pub fn shortest_path_parents(&self) -> Vec<Option<ComponentId>> {
        let mut parent = vec![None; self.components.len()];
        let mut seen = vec![false; self.components.len()];
        let mut queue = VecDeque::new();
        for &r in &self.roots {
            if !seen[r] {
                seen[r] = true;
                queue.push_back(r);
            }
        }
        while let Some(n) = queue.pop_front() {
            for child in self
                .graph
                .neighbors_directed(NodeIndex::new(n), Direction::Outgoing)
            {
                let c = child.index();
                if !seen[c] {
                    seen[c] = true;
                    parent[c] = Some(n);
                    queue.push_back(c);
                }
            }
        }
        parent
    }

    /// Components no root reaches.
    pub fn orphans(&self) -> Vec<ComponentId> {
        let parents = self.shortest_path_parents();
        (0..self.components.len())
            .filter(|&c| parents[c].is_none() && !self.roots.contains(&c))
            .collect()
    }

    /// Dependency cycles: each is a strongly connected set of two or more components, or one
    /// that depends on itself, with ids sorted.
    pub fn cycles(&self) -> Vec<Vec<ComponentId>> {
        let mut cycles: Vec<Vec<ComponentId>> = tarjan_scc(&self.graph)
            .into_iter()
            .filter(|scc| scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]))
            .map(|scc| {
                let mut ids: Vec<_> = scc.into_iter().map(NodeIndex::index).collect();
                ids.sort_unstable();
                ids
            })
            .collect();
        cycles.sort();
        cycles
    }

    /// The components that directly include `id`.
    pub fn parents_of(&self, id: ComponentId) -> Vec<ComponentId> {
        let mut v: Vec<_> = self
            .graph
            .neighbors_directed(NodeIndex::new(id), Direction::Incoming)
            .map(|n| n.index())
            .collect();
        v.sort_unstable();
        v
    }

    /// The components `id` directly includes.
    pub fn children_of(&self, id: ComponentId) -> Vec<ComponentId> {
        let mut v: Vec<_> = self
            .graph
            .neighbors_directed(NodeIndex::new(id), Direction::Outgoing)
            .map(|n| n.index())
            .collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use crate::inventory::{Component, ComponentType, Document, Edge, EdgeKind, Format, Inventory};

    /// root -> a -> c, root -> b -> c, c -> d -> c (a cycle), and an unreachable e.
    fn sample() -> Inventory {
        let mut doc = Document::new("t", Format::CycloneDxJson);
        for k in ["root", "a", "b", "c", "d", "e"] {
            let mut c = Component::new(k, ComponentType::Library, k);
            c.version = Some("1".into());
            doc.components.push(c);
        }
        for (f, t) in [
            ("root", "a"),
            ("root", "b"),
            ("a", "c"),
            ("b", "c"),
            ("c", "d"),
            ("d", "c"),
            ("e", "e"),
        ] {
            doc.edges.push(Edge {
                from: f.into(),
                to: t.into(),
                kind: EdgeKind::DependsOn,
                location: String::new(),
            });
        }
        doc.meta.roots = vec!["root".into()];
        Inventory::from_documents(vec![doc])
    }

    #[test]
    fn paths_come_shortest_first_and_cycles_end() {
        let inv = sample();
        let d = inv.find("d")[0];
        let names = |p: &Vec<usize>| {
            p.iter()
                .map(|&i| inv.components[i].name.as_str())
                .collect::<Vec<_>>()
                .join(">")
        };
        let found = inv.inclusion_paths(d, 10);
        let shown: Vec<_> = found.paths.iter().map(names).collect();
        assert_eq!(shown, ["root>a>c>d", "root>b>c>d"]);
        assert!(!found.truncated);
        let one = inv.inclusion_paths(d, 1);
        assert_eq!(one.paths.len(), 1);
        assert!(one.truncated);
    }

    #[test]
    fn orphans_and_cycles() {
        let inv = sample();
        let e = inv.find("e")[0];
        assert_eq!(inv.orphans(), vec![e]);
        let cycles = inv.cycles();
        assert_eq!(cycles.len(), 2);
        assert!(cycles.contains(&vec![inv.find("c")[0], inv.find("d")[0]]));
        assert!(cycles.contains(&vec![e]));
    }

    /// The plain search the arena replaces: one copied vector per partial path.
    fn reference_paths(inv: &Inventory, target: usize, limit: usize) -> super::InclusionPaths {
        use petgraph::{graph::NodeIndex, Direction};
        let mut out = Vec::new();
        let mut queue = std::collections::VecDeque::from([vec![target]]);
        let mut budget = limit.saturating_mul(2000).max(10_000);
        while let Some(path) = queue.pop_front() {
            let head = *path.last().unwrap();
            if inv.roots.contains(&head) {
                if out.len() == limit {
                    return super::InclusionPaths {
                        paths: out,
                        truncated: true,
                    };
                }
                out.push(path.iter().rev().copied().collect());
            }
            let mut parents: Vec<usize> = inv
                .graph
                .neighbors_directed(NodeIndex::new(head), Direction::Incoming)
                .map(|n| n.index())
                .collect();
            parents.sort_unstable();
            for parent in parents {
                if path.contains(&parent) {
                    continue;
                }
                if budget == 0 {
                    return super::InclusionPaths {
                        paths: out,
                        truncated: true,
                    };
                }
                budget -= 1;
                let mut longer = path.clone();
                longer.push(parent);
                queue.push_back(longer);
            }
        }
        super::InclusionPaths {
            paths: out,
            truncated: false,
        }
    }

    proptest::proptest! {
        /// On random graphs (cycles, several roots, dense enough to hit the budget), the
        /// arena search finds exactly the paths, in the order, that the plain search finds.
        #[test]
        fn arena_search_matches_the_plain_search(
            nodes in 2usize..14,
            edges in proptest::collection::vec((0usize..14, 0usize..14), 0..60),
            roots in proptest::collection::vec(0usize..14, 1..3),
            limit in 1usize..5,
        ) {
            let mut doc = Document::new("t", Format::CycloneDxJson);
            for k in 0..nodes {
                doc.components.push(Component::new(format!("n{k}"), ComponentType::Library, format!("n{k}")));
            }
            for (f, t) in edges {
                doc.edges.push(Edge {
                    from: format!("n{}", f % nodes),
                    to: format!("n{}", t % nodes),
                    kind: EdgeKind::DependsOn,
                    location: String::new(),
                });
            }
            doc.meta.roots = roots.iter().map(|r| format!("n{}", r % nodes)).collect();
            let inv = Inventory::from_documents(vec![doc]);
            for target in 0..inv.len() {
                proptest::prop_assert_eq!(
                    inv.inclusion_paths(target, limit),
                    reference_paths(&inv, target, limit)
                );
            }
        }
    }
}
