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

/// The distance of a component no root leads to.
pub const UNREACHED: u32 = u32::MAX;

/// The end of a chain of partial-path links.
const NO_LINK: u32 = u32::MAX;

/// One partial path of the search: its head, the entry it extends, and its length in edges.
#[derive(Clone, Copy)]
struct Link {
    node: ComponentId,
    prev: u32,
    length: u32,
}

/// How one pass of the bounded search ended.
enum Pass {
    /// Enough paths, or every path there is.
    Done(InclusionPaths),
    /// Fewer paths than asked for within the bound, and longer ones may exist.
    Longer {
        paths: Vec<Vec<ComponentId>>,
        next_bound: u32,
    },
    OutOfBudget(Vec<Vec<ComponentId>>),
}

/// The nodes of the partial path whose head is `arena[at]`, head first (root first once the
/// head is a root).
fn chain(arena: &[Link], mut at: u32) -> impl Iterator<Item = ComponentId> + '_ {
    std::iter::from_fn(move || {
        let link = arena.get(at as usize)?;
        at = link.prev;
        Some(link.node)
    })
}

impl Inventory {
    /// Every inclusion path from a root to `target`, shortest first, at most `limit` of them.
    ///
    /// The search walks backwards from the target breadth first, so paths come out in order of
    /// length (and among equal lengths, in the order of the parents' ids); a node never repeats
    /// within a path, so cycles end. See [`Inventory::inclusion_paths_with`] for many queries.
    pub fn inclusion_paths(&self, target: ComponentId, limit: usize) -> InclusionPaths {
        self.inclusion_paths_with(target, limit, &self.root_distances())
    }

    /// [`Inventory::inclusion_paths`] with the [`Inventory::root_distances`] computed once for
    /// many targets.
    pub fn inclusion_paths_with(
        &self,
        target: ComponentId,
        limit: usize,
        distances: &[u32],
    ) -> InclusionPaths {
        self.search_paths(target, limit, distances).0
    }

    /// Distance in edges from the nearest root to every component ([`UNREACHED`] where no root
    /// leads).
    pub fn root_distances(&self) -> Vec<u32> {
        let mut distance = vec![UNREACHED; self.components.len()];
        self.breadth_first_from_roots(|parent, c| {
            distance[c] = parent.map_or(0, |p| distance[p] + 1);
        });
        distance
    }

    /// Visits every component a root reaches, breadth first from all roots at once, each once,
    /// with the component it was first reached from (`None` for a root).
    fn breadth_first_from_roots(&self, mut reached: impl FnMut(Option<ComponentId>, ComponentId)) {
        let mut seen = vec![false; self.components.len()];
        let mut queue = VecDeque::new();
        for &r in &self.roots {
            if !seen[r] {
                seen[r] = true;
                reached(None, r);
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
                    reached(Some(n), c);
                    queue.push_back(c);
                }
            }
        }
    }

    /// The search behind [`Inventory::inclusion_paths`], also saying whether it ran out of
    /// budget (rather than stopping at the limit).
    ///
    /// A plain breadth-first search over partial paths explores every way up from the target
    /// until enough of them reach a root, which on wide graphs is thousands of dead ends per
    /// query. Here each pass only keeps partial paths that can still become a path of at most
    /// `bound` edges (its length so far plus the distance from a root to its head), starting
    /// from the shortest path's length and raising the bound until enough paths are found or
    /// nothing was left out. Leaving entries out of a breadth-first queue does not change the
    /// order of the rest, so the paths and their order are exactly the plain search's.
    fn search_paths(
        &self,
        target: ComponentId,
        limit: usize,
        distances: &[u32],
    ) -> (InclusionPaths, bool) {
        // Bounds the work on graphs with very many paths, even when few end at a root.
        // Enough for every path of ordinary graphs; on graphs with a combinatorial number of
        // paths the search stops early and says so.
        let mut budget = limit.saturating_mul(2000).max(10_000);
        let mut bound = distances.get(target).copied().unwrap_or(UNREACHED);
        let mut best: Vec<Vec<ComponentId>> = Vec::new();
        let mut arena = Vec::new();
        while bound != UNREACHED {
            match self.search_pass(target, limit, distances, bound, &mut budget, &mut arena) {
                Pass::Done(found) => return (found, false),
                Pass::OutOfBudget(paths) => {
                    // Both this pass's paths and the last pass's are a prefix of the answer.
                    let paths = if paths.len() >= best.len() {
                        paths
                    } else {
                        best
                    };
                    return (
                        InclusionPaths {
                            paths,
                            truncated: true,
                        },
                        true,
                    );
                }
                Pass::Longer { paths, next_bound } => {
                    best = paths;
                    bound = next_bound;
                }
            }
        }
        // No root leads to the target.
        (
            InclusionPaths {
                paths: Vec::new(),
                truncated: false,
            },
            false,
        )
    }

    /// One pass of [`Inventory::search_paths`]: the paths of at most `bound` edges.
    fn search_pass(
        &self,
        target: ComponentId,
        limit: usize,
        distances: &[u32],
        bound: u32,
        budget: &mut usize,
        arena: &mut Vec<Link>,
    ) -> Pass {
        let mut out = Vec::new();
        // The smallest length of a path some left-out partial path could still become.
        let mut next_bound = UNREACHED;
        // Partial paths are links in one arena (a node, the entry it extends, its length)
        // rather than copied vectors; the arena is also the queue, read in the order written.
        arena.clear();
        arena.push(Link {
            node: target,
            prev: NO_LINK,
            length: 0,
        });
        let mut parents = Vec::new();
        let mut next = 0usize;
        while next < arena.len() {
            let at = next as u32;
            let Link {
                node: head, length, ..
            } = arena[next];
            next += 1;
            if self.roots.contains(&head) {
                if out.len() == limit {
                    return Pass::Done(InclusionPaths {
                        paths: out,
                        truncated: true,
                    });
                }
                out.push(chain(arena, at).collect());
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
                let Some(shortest) = distances[parent].checked_add(length + 1) else {
                    continue; // no root above this parent
                };
                if chain(arena, at).any(|n| n == parent) {
                    continue;
                }
                if shortest > bound {
                    next_bound = next_bound.min(shortest);
                    continue;
                }
                if *budget == 0 {
                    return Pass::OutOfBudget(out);
                }
                *budget -= 1;
                arena.push(Link {
                    node: parent,
                    prev: at,
                    length: length + 1,
                });
            }
        }
        match next_bound {
            UNREACHED => Pass::Done(InclusionPaths {
                paths: out,
                truncated: false,
            }),
            next_bound => Pass::Longer {
                paths: out,
                next_bound,
            },
        }
    }

    /// One shortest inclusion path to every component reachable from a root, as parent links:
    /// `parents[c]` is the component that includes `c` on a shortest path (roots have none).
    pub fn shortest_path_parents(&self) -> Vec<Option<ComponentId>> {
        let mut parents = vec![None; self.components.len()];
        self.breadth_first_from_roots(|parent, c| parents[c] = parent);
        parents
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
    /// The plain search the bounded one replaces: every partial path, one copied vector each,
    /// and whether it ran out of budget.
    fn reference_paths(
        inv: &Inventory,
        target: usize,
        limit: usize,
    ) -> (super::InclusionPaths, bool) {
        use petgraph::{graph::NodeIndex, Direction};
        let mut out = Vec::new();
        let mut queue = std::collections::VecDeque::from([vec![target]]);
        let mut budget = limit.saturating_mul(2000).max(10_000);
        while let Some(path) = queue.pop_front() {
            let head = *path.last().unwrap();
            if inv.roots.contains(&head) {
                if out.len() == limit {
                    let found = super::InclusionPaths {
                        paths: out,
                        truncated: true,
                    };
                    return (found, false);
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
                    let found = super::InclusionPaths {
                        paths: out,
                        truncated: true,
                    };
                    return (found, true);
                }
                budget -= 1;
                let mut longer = path.clone();
                longer.push(parent);
                queue.push_back(longer);
            }
        }
        let found = super::InclusionPaths {
            paths: out,
            truncated: false,
        };
        (found, false)
    }

    proptest::proptest! {
        /// On random graphs (cycles, several roots, dense enough to hit the budget), the
        /// bounded search finds exactly the paths, in the order, that the plain search finds.
        #[test]
        fn bounded_search_matches_the_plain_search(
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
            let distances = inv.root_distances();
            for target in 0..inv.len() {
                let (found, out_of_budget) = inv.search_paths(target, limit, &distances);
                let (reference, reference_out_of_budget) = reference_paths(&inv, target, limit);
                if out_of_budget || reference_out_of_budget {
                    // Either stopped early: what each found is a prefix of the same answer.
                    let n = found.paths.len().min(reference.paths.len());
                    proptest::prop_assert_eq!(&found.paths[..n], &reference.paths[..n]);
                } else {
                    proptest::prop_assert_eq!(found, reference);
                }
            }
        }
    }
}
