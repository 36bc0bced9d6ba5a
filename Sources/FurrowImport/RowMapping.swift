import FurrowCore

/// Turns one validated record of each extract file into its domain value. Each mapper reads
/// every column it knows, so a record reports all its problems at once; it returns nil when
/// the record has any.
enum RowMapping {
    static func customer(_ r: inout FieldReader, today: CalendarDate) -> Customer? {
        let id = r.required("customer_id")
        let name = r.required("name")
        let kind = r.code("kind", CustomerKind.self, required: true)
        let gender = r.code("gender", Gender.self)
        var birth = r.date("birth_date")
        let idType = r.code("id_type", IDType.self)
        var idNumber = r.text("id_number")
        if let number = idNumber {
            switch idType {
            case .residentID?:
                do {
                    let rid = try ResidentID.parse(number, today: today)
                    idNumber = rid.number
                    if let b = birth, b != rid.birthDate {
                        r.fail("birth_date", "\(b.iso) disagrees with the resident ID, which says \(rid.birthDate.iso)")
                    }
                    birth = birth ?? rid.birthDate
                } catch {
                    r.fail("id_number", error.message)
                }
            case .uscc?:
                do { idNumber = try UnifiedSocialCreditCode.parse(number).code } catch { r.fail("id_number", error.message) }
            case nil:
                r.fail("id_type", "required when id_number is given")
            default:
                break
            }
        }
        let mobile = r.mobile("mobile")
        let quality = r.code("industry_quality", IndustryQuality.self)
        let risk = r.code("risk_level", RiskLevel.self)
        let assessed = r.date("risk_assessed_on")
        let channel = r.code("acquisition_channel", AcquisitionChannel.self)
        let opened = r.date("opened_on")
        let flags = r.text("flags").map { $0.split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty } } ?? []
        guard r.issues.isEmpty, let id, let name, let kind else { return nil }
        return Customer(
            customerID: id, name: name, kind: kind, gender: gender, birthDate: birth, idType: idType,
            idNumber: idNumber, mobile: mobile, address: r.text("address"), village: r.text("village"),
            occupation: r.text("occupation"), employer: r.text("employer"), industryQuality: quality,
            riskLevel: risk, riskAssessedOn: assessed, acquisitionChannel: channel,
            referrerID: r.text("referrer_id"), openedOn: opened, flags: flags)
    }

    static func relation(_ r: inout FieldReader, refs: ExtractReferences) -> Relation? {
        let a = r.required("customer_id")
        let b = r.required("related_id")
        let kind = r.code("relation", RelationKind.self, required: true)
        if let a, !refs.customers.contains(a) { r.fail("customer_id", "unknown customer \(a)") }
        if let b, !refs.customers.contains(b) { r.fail("related_id", "unknown customer \(b)") }
        if let a, let b, a == b { r.fail("related_id", "a customer cannot be related to itself") }
        guard r.issues.isEmpty, let a, let b, let kind else { return nil }
        return Relation(customerID: a, relatedID: b, relation: kind)
    }

    static func product(_ r: inout FieldReader) -> Product? {
        let code = r.required("product_code")
        let name = r.required("name")
        let type = r.code("type", ProductType.self, required: true)
        let risk = r.code("risk_level", ProductRiskLevel.self)
        let term = r.int("term_days", in: 0...36_500)
        guard r.issues.isEmpty, let code, let name, let type else { return nil }
        return Product(productCode: code, name: name, type: type, riskLevel: risk, termDays: term)
    }

    static func account(_ r: inout FieldReader, refs: ExtractReferences) -> Account? {
        let id = r.required("account_id")
        let customer = r.required("customer_id")
        let product = r.required("product_code")
        let opened = r.date("opened_on")
        let maturity = r.date("maturity_date")
        let balance = r.money("balance")
        let status = r.code("status", AccountStatus.self, required: true)
        let rate = r.text("rate")
        if let rate, Double(rate) == nil { r.fail("rate", "\"\(rate)\" is not a number") }
        if let customer, !refs.customers.contains(customer) { r.fail("customer_id", "unknown customer \(customer)") }
        if let product, !refs.products.contains(product) { r.fail("product_code", "unknown product \(product)") }
        if let opened, let maturity, maturity < opened {
            r.fail("maturity_date", "\(maturity.iso) is before opened_on \(opened.iso)")
        }
        guard r.issues.isEmpty, let id, let customer, let product, let balance, let status else { return nil }
        return Account(accountID: id, customerID: customer, productCode: product, openedOn: opened,
                       maturityDate: maturity, balance: balance, status: status, rate: rate)
    }

    static func monthlyBalance(_ r: inout FieldReader, refs: ExtractReferences) -> MonthlyBalance? {
        let customer = r.required("customer_id")
        let month = r.month("month")
        let avg = r.money("aum_avg")
        let end = r.money("aum_end")
        if let customer, !refs.customers.contains(customer) { r.fail("customer_id", "unknown customer \(customer)") }
        guard r.issues.isEmpty, let customer, let month, let avg, let end else { return nil }
        return MonthlyBalance(customerID: customer, month: month, aumAverage: avg, aumEnd: end)
    }

    static func transaction(_ r: inout FieldReader, refs: ExtractReferences) -> Transaction? {
        let id = r.required("txn_id")
        let account = r.required("account_id")
        let posted = r.timestamp("posted_at", required: true)
        let amount = r.money("amount")
        let kind = r.code("kind", TransactionKind.self, required: true)
        let channel = r.code("channel", TransactionChannel.self)
        let unit = r.text("payroll_unit_id")
        if let account, !refs.accounts.contains(account) { r.fail("account_id", "unknown account \(account)") }
        if let unit, !refs.payrollUnits.contains(unit) { r.fail("payroll_unit_id", "unknown payroll unit \(unit)") }
        guard r.issues.isEmpty, let id, let account, let posted, let amount, let kind else { return nil }
        return Transaction(txnID: id, accountID: account, postedAt: posted, amount: amount, kind: kind,
                           channel: channel, counterpartyName: r.text("counterparty_name"),
                           counterpartyBank: r.text("counterparty_bank"), payrollUnitID: unit, memo: r.text("memo"))
    }

    static func loanInstalment(_ r: inout FieldReader, refs: ExtractReferences) -> LoanInstalment? {
        let account = r.required("account_id")
        let due = r.date("due_date", required: true)
        let principal = r.money("principal")
        let interest = r.money("interest")
        if let account, !refs.accounts.contains(account) { r.fail("account_id", "unknown account \(account)") }
        guard r.issues.isEmpty, let account, let due, let principal, let interest else { return nil }
        return LoanInstalment(accountID: account, dueDate: due, principal: principal, interest: interest)
    }

    static func staff(_ r: inout FieldReader) -> Staff? {
        let id = r.required("staff_id")
        let name = r.required("name")
        let role = r.code("role", StaffRole.self, required: true)
        var active = true
        if let a = r.text("active") {
            switch a {
            case "1": active = true
            case "0": active = false
            default: r.fail("active", "\"\(a)\" must be 1 or 0")
            }
        }
        guard r.issues.isEmpty, let id, let name, let role else { return nil }
        return Staff(staffID: id, name: name, role: role, team: r.text("team"), active: active)
    }

    static func assignment(_ r: inout FieldReader, refs: ExtractReferences) -> Assignment? {
        let customer = r.required("customer_id")
        let staff = r.required("staff_id")
        let since = r.date("since", required: true)
        if let customer, !refs.customers.contains(customer) { r.fail("customer_id", "unknown customer \(customer)") }
        if let staff, !refs.staff.contains(staff) { r.fail("staff_id", "unknown staff \(staff)") }
        guard r.issues.isEmpty, let customer, let staff, let since else { return nil }
        return Assignment(customerID: customer, staffID: staff, since: since)
    }

    static func payrollUnit(_ r: inout FieldReader) -> PayrollUnit? {
        let id = r.required("unit_id")
        let name = r.required("name")
        var uscc = r.text("uscc")
        if let u = uscc {
            do { uscc = try UnifiedSocialCreditCode.parse(u).code } catch { r.fail("uscc", error.message) }
        }
        let day = r.int("payroll_day", in: 1...31)
        let mobile = r.mobile("contact_mobile")
        guard r.issues.isEmpty, let id, let name else { return nil }
        return PayrollUnit(unitID: id, name: name, uscc: uscc, payrollDay: day,
                           contactName: r.text("contact_name"), contactMobile: mobile)
    }

    static func survey(_ r: inout FieldReader, refs: ExtractReferences) -> SurveyResponse? {
        let id = r.required("response_id")
        let customer = r.text("customer_id")
        let answered = r.date("answered_on", required: true)
        let scores = ["attitude", "online", "efficiency", "skill"].map { r.int($0, in: 1...5) }
        let recommend = r.int("recommend", in: 0...10)
        if let customer, !refs.customers.contains(customer) { r.fail("customer_id", "unknown customer \(customer)") }
        guard r.issues.isEmpty, let id, let answered else { return nil }
        return SurveyResponse(responseID: id, customerID: customer, answeredOn: answered, attitude: scores[0],
                              online: scores[1], efficiency: scores[2], skill: scores[3], recommend: recommend)
    }

    static func complaint(_ r: inout FieldReader, refs: ExtractReferences) -> Complaint? {
        let id = r.required("complaint_id")
        let customer = r.required("customer_id")
        let received = r.timestamp("received_at", required: true)
        let channel = r.code("channel", ComplaintChannel.self, required: true)
        let severity = r.code("severity", Severity.self, required: true)
        if let customer, !refs.customers.contains(customer) { r.fail("customer_id", "unknown customer \(customer)") }
        guard r.issues.isEmpty, let id, let customer, let received, let channel, let severity else { return nil }
        return Complaint(complaintID: id, customerID: customer, receivedAt: received, channel: channel,
                         category: r.text("category"), severity: severity, description: r.text("description"))
    }

    static func interaction(_ r: inout FieldReader, refs: ExtractReferences) -> Interaction? {
        let id = r.required("interaction_id")
        let customer = r.required("customer_id")
        let at = r.timestamp("at", required: true)
        let channel = r.code("channel", InteractionChannel.self, required: true)
        if let customer, !refs.customers.contains(customer) { r.fail("customer_id", "unknown customer \(customer)") }
        guard r.issues.isEmpty, let id, let customer, let at, let channel else { return nil }
        return Interaction(interactionID: id, customerID: customer, staffID: r.text("staff_id"), at: at,
                           channel: channel, purpose: r.text("purpose"), notes: r.text("notes"),
                           outcome: r.text("outcome"))
    }
}
