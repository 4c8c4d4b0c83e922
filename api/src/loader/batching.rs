//! When a batch of keys is loaded: once the execution that asked for them has run out of work.
//!
//! A nested query asks for one level's keys from many sibling resolvers. async-graphql polls those siblings in
//! one pass of the execution's future, and each of them enqueues its key and waits. A batch loaded on a timer
//! (the DataLoader's own `delay`) can start before that pass ends when the CPU is busy, and splits the level
//! into several statements. So a batch waits for the execution to *settle*: for its future to return `Pending`
//! without having woken itself, which means every resolver that could ask for a key has asked and is now
//! waiting. Then the whole level goes out as one statement, with no timer adding latency.
//!
//! [`Tracked`] wraps the execution's future and counts those settle points in its [`Activity`]; each batch
//! notes the count when it is spawned (inside the poll that enqueued its first key) and starts once the count
//! has moved on. Loaders used outside a tracked execution fall back to a quiet window: no new key for
//! [`QUIET`], at most [`MAX_WAIT`].

use std::{
    future::Future,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
    time::{Duration, Instant},
};

use async_graphql::dataloader::{DataLoader, HashMapCache};
use tokio::sync::Notify;

/// How long no new key may arrive before a batch is loaded, outside a tracked execution.
const QUIET: Duration = Duration::from_millis(2);
/// The longest an untracked batch waits for the request to go quiet.
const MAX_WAIT: Duration = Duration::from_millis(50);
/// The longest a batch waits for its execution to settle: a safety net only, since an execution that waits
/// for a batch settles at once (on a busy CPU, one pass over a wide level can take longer than
/// [`MAX_WAIT`]).
const SETTLE_MAX_WAIT: Duration = Duration::from_secs(1);
/// The most keys in one statement. A page of 100 under a page of 100 asks for 10,000 at once; PostgreSQL takes
/// 65,535 bind values and SQLite 32,766.
const MAX_BATCH: usize = 10_000;

/// The loaders' view of one execution: when keys were asked for, and how often the execution settled.
#[derive(Debug)]
pub struct Activity {
    start: Instant,
    last_micros: AtomicU64,
    tracked: AtomicBool,
    settled: AtomicU64,
    notify: Notify,
}

impl Default for Activity {
    fn default() -> Self {
        Activity {
            start: Instant::now(),
            last_micros: AtomicU64::new(0),
            tracked: AtomicBool::new(false),
            settled: AtomicU64::new(0),
            notify: Notify::new(),
        }
    }
}

impl Activity {
    /// Records that a key was just asked for.
    pub fn touch(&self) {
        let now = self.start.elapsed().as_micros() as u64;
        self.last_micros.fetch_max(now, Ordering::Relaxed);
    }

    /// Where a batch spawned now stands: the settle count of a tracked execution, or None.
    fn mark(&self) -> Option<u64> {
        self.tracked
            .load(Ordering::Acquire)
            .then(|| self.settled.load(Ordering::Acquire))
    }

    fn settle(&self) {
        self.settled.fetch_add(1, Ordering::AcqRel);
        self.notify.notify_waiters();
    }

    /// Waits until a batch spawned at `mark` may load: the execution settled since (at most
    /// [`SETTLE_MAX_WAIT`]), or, untracked, no key was asked for during [`QUIET`] (at most [`MAX_WAIT`]).
    async fn ready(&self, mark: Option<u64>) {
        let Some(mark) = mark else {
            return self.quiet().await;
        };
        let deadline = tokio::time::sleep(SETTLE_MAX_WAIT);
        tokio::pin!(deadline);
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.settled.load(Ordering::Acquire) > mark {
                return;
            }
            tokio::select! {
                _ = &mut notified => {}
                _ = &mut deadline => return,
            }
        }
    }

    async fn quiet(&self) {
        let began = Instant::now();
        loop {
            let last = Duration::from_micros(self.last_micros.load(Ordering::Relaxed));
            let idle = self.start.elapsed().saturating_sub(last);
            if idle >= QUIET || began.elapsed() >= MAX_WAIT {
                return;
            }
            tokio::time::sleep(QUIET - idle).await;
        }
    }
}

/// `loader` without its cache.
pub fn uncached<L>(loader: DataLoader<L, HashMapCache>) -> DataLoader<L, HashMapCache> {
    loader.enable_all_cache(false);
    loader
}

/// A DataLoader whose batches start when the execution settles (see the module documentation).
pub fn loader<L: Send + Sync + 'static>(
    inner: L,
    activity: &Arc<Activity>,
) -> DataLoader<L, HashMapCache> {
    let activity = activity.clone();
    DataLoader::with_cache(
        inner,
        move |batch| {
            let activity = activity.clone();
            let mark = activity.mark();
            tokio::spawn(async move {
                activity.ready(mark).await;
                batch.await
            })
        },
        HashMapCache::default(),
    )
    .delay(Duration::ZERO)
    .max_batch_size(MAX_BATCH)
}

/// Notes whether the execution's task was woken while it was being polled.
struct WakeFlag {
    woken: AtomicBool,
    waker: Waker,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.waker.wake_by_ref();
    }
}

/// An execution's future, counting its settle points in its [`Activity`].
pub struct Tracked<F> {
    activity: Arc<Activity>,
    inner: Pin<Box<F>>,
}

impl<F: Future> Tracked<F> {
    /// Tracks `inner`, the execution that `activity`'s loaders serve.
    pub fn new(activity: Arc<Activity>, inner: F) -> Self {
        activity.tracked.store(true, Ordering::Release);
        Tracked {
            activity,
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for Tracked<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let flag = Arc::new(WakeFlag {
            woken: AtomicBool::new(false),
            waker: cx.waker().clone(),
        });
        let waker = Waker::from(flag.clone());
        let result = self.inner.as_mut().poll(&mut Context::from_waker(&waker));
        // Woken during its own poll, the execution runs again at once and may ask for more keys: not settled.
        if result.is_ready() || !flag.woken.load(Ordering::Acquire) {
            self.activity.settle();
        }
        result
    }
}

impl<F> Drop for Tracked<F> {
    fn drop(&mut self) {
        // Batches of an execution that ended (or was cancelled) must not wait for it.
        self.activity.tracked.store(false, Ordering::Release);
        self.activity.settle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A future that wakes itself on its first poll and then waits, like a resolver list that yields.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[tokio::test]
    async fn a_self_wake_is_not_a_settle_point_but_a_real_wait_is() {
        let activity = Arc::new(Activity::default());
        let mark = activity.mark();
        assert_eq!(mark, None, "untracked until an execution is wrapped");
        let tracked = Tracked::new(activity.clone(), YieldOnce(false));
        let mark = activity.mark();
        assert_eq!(mark, Some(0));
        tracked.await;
        // The self-woken poll did not count; the finishing poll and the drop did.
        assert_eq!(activity.settled.load(Ordering::Acquire), 2);
        assert_eq!(activity.mark(), None);

        let activity = Arc::new(Activity::default());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let tracked = tokio::spawn(Tracked::new(activity.clone(), rx));
        // The batch spawned "inside" the first poll waits for that poll to end in `Pending`.
        let began = Instant::now();
        activity.ready(Some(0)).await;
        assert!(activity.settled.load(Ordering::Acquire) >= 1);
        assert!(
            began.elapsed() < MAX_WAIT,
            "a settle point released the batch, not the deadline"
        );
        tx.send(()).ok();
        tracked.await.ok();
    }

    #[tokio::test]
    async fn an_untracked_batch_waits_for_a_quiet_window() {
        let activity = Activity::default();
        activity.touch();
        let began = Instant::now();
        activity.ready(None).await;
        assert!(began.elapsed() >= QUIET - Duration::from_micros(500));
    }
}
