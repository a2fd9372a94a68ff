import Testing

/// The end-to-end suites, one at a time: each starts several processes, and
/// on two cores, suites running side by side would starve each other's
/// processes of time the tests assume they have.
@Suite(.serialized) enum EndToEnd {}
