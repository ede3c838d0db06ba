//! The level of every account in a hierarchy, and its cycles, in one pass.

/// Where a child of a hierarchy stands: its depth (parents above it), or
/// the parent through which its chain comes back to it.
#[derive(Clone, Copy)]
pub(super) enum Level {
    Depth(usize),
    Cycle(u32),
}

/// Every index's [`Level`] from its parent (`parent[i]`), in one pass over
/// the chains: each depth is computed once; a chain that runs into a cycle
/// without being part of it is at depth 0 (the cycle's members report it).
pub(super) fn levels(parent: &[Option<u32>]) -> Vec<Level> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let n = parent.len();
    let mut out = vec![Level::Depth(0); n];
    let mut state = vec![NEW; n];
    let mut path: Vec<u32> = Vec::new();
    for start in 0..n {
        if state[start] != NEW {
            continue;
        }
        path.clear();
        let mut at = start as u32;
        // Walk up until a known index, the top, or one on this walk.
        let base = loop {
            match state[at as usize] {
                DONE => {
                    break match out[at as usize] {
                        Level::Depth(d) => Some(d),
                        Level::Cycle(_) => None,
                    }
                }
                ON_PATH => {
                    // The walk came back: path[k..] is a cycle, each member
                    // coming back through its parent.
                    let k = path.iter().position(|&m| m == at).unwrap_or(0);
                    for &m in &path[k..] {
                        out[m as usize] = Level::Cycle(parent[m as usize].unwrap_or(m));
                        state[m as usize] = DONE;
                    }
                    path.truncate(k);
                    break None;
                }
                _ => {}
            }
            state[at as usize] = ON_PATH;
            path.push(at);
            match parent[at as usize] {
                Some(p) => at = p,
                None => {
                    // The top of a hierarchy: depth 0.
                    path.pop();
                    out[at as usize] = Level::Depth(0);
                    state[at as usize] = DONE;
                    break Some(0);
                }
            }
        };
        // The rest of the walk, from the top down: one level more each
        // (below a cycle: depth 0, as when a walk came back).
        let mut d = base.unwrap_or(0);
        for &m in path.iter().rev() {
            d += usize::from(base.is_some());
            out[m as usize] = Level::Depth(d);
            state[m as usize] = DONE;
        }
    }
    out
}
