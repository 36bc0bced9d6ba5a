extension Duration {
    /// The duration in (fractional) seconds, for figures and summaries.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The duration in (fractional) milliseconds.
    public var milliseconds: Double { seconds * 1000 }
}
