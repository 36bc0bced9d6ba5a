import FurrowCore

extension RulesFile {
    /// The rules as a file: every setting with its value and what it means. `furrow rules show`
    /// prints the defaults this way, as a starting point for a bank's own file.
    public static func text(of c: RulesConfig) -> String {
        func y(_ m: Money) -> String { m.fen % 100 == 0 ? String(m.fen / 100) : String(Double(m.fen) / 100) }
        let drop = c.hysteresis.monthsBelowToDrop
        let holidays = c.workCalendar.holidays.keys.sorted()
        // Consecutive days with the same name become one entry.
        var spans: [(CalendarDate, CalendarDate, String)] = []
        for d in holidays {
            let name = c.workCalendar.holidays[d]!
            if let last = spans.last, last.2 == name, last.1.adding(days: 1) == d { spans[spans.count - 1].1 = d } else { spans.append((d, d, name)) }
        }
        return """
        # Furrow rules: the thresholds of the relationship rules (domain.md). Leave a setting out to keep
        # its default; `furrow rules check FILE` says what is wrong and where.

        [tiers]                          # monthly average AUM in yuan
        wealth = \(y(c.tiers.wealth))
        affluent = \(y(c.tiers.affluent))
        private = \(y(c.tiers.privateBanking))
        # months in a row below a tier before a customer moves down
        months_below_to_drop = { wealth = \(drop[.wealth] ?? 3), affluent = \(drop[.affluent] ?? 3), private = \(drop[.privateBanking] ?? 6) }

        [greetings]
        minimum_tier = "\(c.greetingMinimumTier.rawValue)"      # below it, the system sends the SMS
        lead_days = \(c.greetingLeadDays)                  # holiday greetings appear this many days ahead
        birthday_lead_days = \(c.birthdayLeadDays)
        grace_days = \(c.greetingGraceDays)                 # a greeting not done this long after its day is withdrawn

        [maturity]
        lead_days = \(c.maturityLeadDays)                  # time deposits, wealth products, bonds
        instalment_lead_days = \(c.instalmentLeadDays)
        loan_lead_days = \(c.loanMaturityLeadDays)

        [risk]
        validity_days = \(c.riskValidityDays)            # a risk assessment is valid this long
        lead_days = \(c.riskLeadDays)

        [cadence]                        # days without contact before a reminder
        wealth = \(c.cadenceDays[.wealth] ?? 90)
        affluent = \(c.cadenceDays[.affluent] ?? 30)
        private = \(c.cadenceDays[.privateBanking] ?? 14)

        [money]
        large_inflow = \(y(c.largeInflow))            # one inflow at least this large (yuan)
        large_outflow = \(y(c.largeOutflow))           # one transfer to another bank at least this large
        lookback_days = \(c.transactionLookbackDays)
        tide_days = \(c.tideDays)                    # payroll that leaves within this many days …
        tide_share_percent = \(c.tideSharePercent)          # … this share of it

        [campaigns]
        attribution_days = \(c.campaignAttributionDays)              # a product bought this many days after a campaign's contact is its conversion

        [complaints]
        warning_days = \(c.complaintWarningDays)                 # remind this many days before the deadline
        lookback_days = \(c.complaintLookbackDays)
        sla_days = { high = \(c.complaintSLA.days[.high] ?? 2), medium = \(c.complaintSLA.days[.medium] ?? 5), low = \(c.complaintSLA.days[.low] ?? 15) }

        [life_events]
        lookback_days = \(c.lifeEventLookbackDays)

        [classification]
        acceptance_product_types = \(c.classification.acceptanceProductTypes)     # high product acceptance: this many product types …
        acceptance_invested_percent = \(c.classification.acceptanceInvestedPercent) # … or this share in wealth products, funds, insurance
        older_age = \(c.classification.olderAge)                   # segments: older from this age
        dormant_days = \(c.classification.dormantDays)              # no own transaction or contact for this long: dormant
        fall_percent = \(c.classification.fallPercent)               # average AUM down this much …
        fall_months = \(c.classification.fallMonths)                 # … over this many months: a churn warning
        fall_minimum = \(y(c.classification.fallMinimum))            # … counted from this much AUM (yuan)
        acquisition_months = \(c.classification.acquisitionMonths)         # opened this recently: being acquired
        developing_from = \(y(c.classification.developingFrom))          # mass-tier customers from here up are "developing"

        [service]                        # the catalogue's items 1–9 (domain.md), at most 6 per segment
        matrix = { \(Segment.allCases.map { "\($0.rawValue) = [\((c.servicePlans.matrix[$0] ?? []).map { String($0.rawValue) }.joined(separator: ", "))]" }.joined(separator: ", ")) }
        mass_items = [\(c.servicePlans.massItems.map { String($0.rawValue) }.joined(separator: ", "))]
        segment_cadence_percent = { \(c.servicePlans.segmentCadencePercent.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) = \($0.value)" }.joined(separator: ", ")) }

        [calendar]                       # the State Council's schedule; add next year's each December
        replace = false                  # true: only the days below, not Furrow's built-in table
        holidays = [
        \(spans.map { "  { from = \"\($0.0.iso)\", to = \"\($0.1.iso)\", name = \"\($0.2)\" }," }.joined(separator: "\n"))
        ]
        make_up_workdays = [\(c.workCalendar.makeUpWorkdays.sorted().map { "\"\($0.iso)\"" }.joined(separator: ", "))]

        """
    }
}
