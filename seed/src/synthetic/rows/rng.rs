//! The seeded random source of the synthetic graph.

use rand_chacha::{
    ChaCha8Rng,
    rand_core::{RngCore, SeedableRng},
};

/// The seeded random source: ChaCha8 (a portable, documented stream) with unbiased-enough range reduction
/// of our own, so no distribution code of a library can change the data.
pub(super) struct Rng(ChaCha8Rng);

impl Rng {
    /// The stream of `seed`.
    pub(super) fn seeded(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A number below `n` (which is not 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.0.next_u64()) * n as u128) >> 64) as usize
    }

    /// One of `items` (which is not empty).
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices below `n` (at most `n` of them), in the order drawn.
    pub(super) fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k.min(n));
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}
