//! Rate limiting by query cost: every client — a token, or an address for anonymous clients — has a budget
//! of cost per minute and a burst; a query that would overdraw it is refused with `RATE_LIMITED` (HTTP 429
//! and `Retry-After`) before it runs. One client's budget never slows another.

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use governor::{
    DefaultKeyedRateLimiter, Quota,
    clock::{Clock, DefaultClock},
};

/// The budgets.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Query cost one client (token or address) may spend per minute; 0 turns rate limiting off.
    #[arg(
        long = "rate-limit-cost-per-minute",
        env = "RATE_LIMIT_COST_PER_MINUTE",
        default_value_t = 600_000
    )]
    pub cost_per_minute: u32,
    /// Query cost one client may spend at once (its burst); keep it at least the largest query cost allowed.
    #[arg(
        long = "rate-limit-burst",
        env = "RATE_LIMIT_BURST",
        default_value_t = 300_000
    )]
    pub burst: u32,
    /// Charge anonymous clients by the first address in `X-Forwarded-For` (only behind a proxy that sets it).
    #[arg(
        long = "trust-forwarded-for",
        env = "TRUST_FORWARDED_FOR",
        default_value_t = false
    )]
    pub trust_forwarded_for: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            cost_per_minute: 600_000,
            burst: 300_000,
            trust_forwarded_for: false,
        }
    }
}

/// Who a request is charged to: `token:<id>` or `addr:<ip>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientKey(pub String);

/// The budgets of all clients of this process.
pub struct Limiter {
    inner: DefaultKeyedRateLimiter<ClientKey>,
    clock: DefaultClock,
}

impl Limiter {
    /// A limiter for `limits`; None when rate limiting is off.
    pub fn new(limits: RateLimits) -> Option<Arc<Limiter>> {
        let per_minute = NonZeroU32::new(limits.cost_per_minute)?;
        let burst = NonZeroU32::new(limits.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(per_minute).allow_burst(burst);
        Some(Arc::new(Limiter {
            inner: governor::RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }))
    }

    /// Charges `cost` (at least 1) to `key`; `Err(wait)` when the budget does not cover it yet.
    pub fn charge(&self, key: &ClientKey, cost: u64) -> Result<(), Duration> {
        if self.inner.len() > 100_000 {
            self.inner.retain_recent();
        }
        let cost = u32::try_from(cost.max(1)).unwrap_or(u32::MAX);
        let cost = NonZeroU32::new(cost).unwrap_or(NonZeroU32::MIN);
        match self.inner.check_key_n(key, cost) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(not_until.wait_time_from(self.clock.now())),
            // More than the whole burst: it can never pass.
            Err(_) => Err(Duration::from_secs(60)),
        }
    }
}
