use super::*;

/// A 50 ms header deadline and an idle timeout of `idle_ms`.
fn deadlines(idle_ms: u64) -> Deadlines {
    Deadlines {
        header_read: Duration::from_millis(50),
        idle: Duration::from_millis(idle_ms),
        check: Duration::from_millis(10),
    }
}

#[test]
fn the_first_request_is_due_from_the_opening() {
    let activity = Activity::new();
    std::thread::sleep(Duration::from_millis(60));
    assert_eq!(activity.verdict(&deadlines(60_000)), Verdict::SlowHeaders);
}

#[test]
fn a_request_in_flight_is_never_timed_out() {
    let activity = Arc::new(Activity::new());
    let in_flight = InFlight::begin(&activity);
    std::thread::sleep(Duration::from_millis(60));
    assert_eq!(activity.verdict(&deadlines(10)), Verdict::Fine);
    drop(in_flight);
    // Between requests only the idle timeout runs; the next headers are due from their first byte.
    std::thread::sleep(Duration::from_millis(60));
    assert_eq!(activity.verdict(&deadlines(60_000)), Verdict::Fine);
    activity.read();
    std::thread::sleep(Duration::from_millis(60));
    assert_eq!(activity.verdict(&deadlines(60_000)), Verdict::SlowHeaders);
}

#[test]
fn a_silent_keep_alive_connection_goes_idle() {
    let activity = Arc::new(Activity::new());
    drop(InFlight::begin(&activity));
    std::thread::sleep(Duration::from_millis(60));
    assert_eq!(activity.verdict(&deadlines(50)), Verdict::Idle);
}
