import FurrowCore
import FurrowStore
import TerminalUI

/// The workstation's forms: what each asks, how it validates, and which store method saves it.
/// Each can be rebuilt from a draft (`resume`), so a form interrupted by a crash comes back.
enum FormScreens {
    static func label(ofKind kind: String) -> String {
        switch kind.split(separator: ":").first.map(String.init) ?? kind {
        case "contact.visit": "走访记录 visit log"
        case "contact.call": "电话记录 call log"
        case "contact.correct": "更正记录 log correction"
        case "task.new": "新任务 new task"
        case "complaint.new": "投诉登记 complaint"
        case "note.new": "备注 note"
        case "sync.edit": "改后重发 a refused change, edited"
        default: kind
        }
    }

    /// Rebuilds a form from its draft.
    static func resume(_ d: Draft, _ ctx: AppContext) -> FormScreen? {
        let parts = d.kind.split(separator: ":").map(String.init)
        guard let customerID = d.customerID, let kind = parts.first else { return nil }
        switch kind {
        case "contact.visit": return contact(channel: .visit, customerID: customerID, ctx, taskID: d.fields["_taskID"], resuming: d)
        case "contact.call": return contact(channel: .call, customerID: customerID, ctx, taskID: d.fields["_taskID"], resuming: d)
        case "contact.correct" where parts.count > 1:
            return contact(channel: InteractionChannel(rawValue: d.fields["channel"] ?? "") ?? .visit,
                           customerID: customerID, ctx, correcting: parts[1], resuming: d)
        case "task.new": return newTask(customerID: customerID, ctx, resuming: d)
        case "complaint.new": return complaint(customerID: customerID, ctx, resuming: d)
        case "note.new": return note(customerID: customerID, ctx, resuming: d)
        case "sync.edit" where parts.count > 1:
            // Only while the change is still refused (a sync may have resubmitted it elsewhere).
            guard let a = (try? ctx.store.rejectedOps(limit: 1000))?.first(where: { $0.op.opID == parts[1] }) else { return nil }
            return editRejected(a, ctx, resuming: d)
        default: return nil
        }
    }

    static func customerLine(_ id: String, _ ctx: AppContext) -> String {
        guard let c = (try? ctx.store.search(id, limit: 1))?.first?.customer, c.customerID == id else { return id }
        return "\(c.name)  \(c.customerID)  \(c.tier.label)  AUM ¥\(c.aum.formattedWan())"
    }

    // MARK: Visit and call logs

    static let moods = [Form.Option("", "—")] + CustomerMood.allCases.map { Form.Option($0.rawValue, $0.label + " " + $0.rawValue) }

    /// A visit or call log; `taskID` when it answers a task in the queue (saving closes it);
    /// `correcting` when it is a correction of an earlier log (logs are append-only).
    static func contact(channel: InteractionChannel, customerID: String, _ ctx: AppContext, taskID: String? = nil,
                        correcting original: String? = nil, prefill: Interaction? = nil,
                        resuming: Draft? = nil) -> FormScreen {
        let channels = InteractionChannel.allCases.map { Form.Option($0.rawValue, "\($0.label) \($0.rawValue)") }
        var fields: [Form.Field] = [
            Form.Field("channel", "方式 Channel", .choice(channels), value: channel.rawValue),
            Form.Field("at", "时间 When", value: prefill.map { String($0.at.prefix(16)) } ?? String(ctx.localNow.prefix(16)),
                       hint: "YYYY-MM-DD HH:MM"),
            Form.Field("duration", "时长 Minutes", value: prefill?.durationMinutes.map(String.init) ?? "",
                       hint: "分钟 1–600", maxLength: 3),
            Form.Field("present", "在场 Present", value: prefill?.present ?? "", hint: "谁在场 who was there", maxLength: 100),
            Form.Field("purpose", "目的 Purpose", value: prefill?.purpose ?? "", maxLength: 200),
            Form.Field("discussed", "内容 Discussed", value: prefill?.notes ?? "", hint: "谈了什么 what was discussed",
                       maxLength: 2000),
            Form.Field("outcome", "结果 Outcome", value: prefill?.outcome ?? "", maxLength: 500),
            Form.Field("mood", "情绪 Mood", .choice(moods), value: prefill?.mood?.rawValue ?? ""),
            Form.Field("lifeEvents", "生活事件 Life events", value: prefill?.lifeEvents ?? "",
                       hint: "买房、结婚、生子、住院… house, wedding, baby, hospital", maxLength: 200),
            Form.Field("nextStep", "下一步 Next step", value: "", hint: "有日期就成为任务 with a date it becomes a task",
                       maxLength: 200),
            Form.Field("nextStepDue", "下一步日期 Due", value: "", hint: "YYYY-MM-DD 或 +N 天 days", maxLength: 10),
        ]
        if channel == .call {
            // A call nobody answered is logged, but the task it was for stays open.
            fields.insert(Form.Field("reached", "接通 Reached", .choice([Form.Option("yes", "接通 reached"), Form.Option("no", "未接通 not reached")])), at: 1)
        }
        if taskID != nil {
            fields.append(Form.Field("completeTask", "完成任务 Close task", .choice([Form.Option("yes", "是 yes"), Form.Option("no", "否 no")])))
        }
        let title = original == nil ? "记录联系 Log a contact" : "更正记录 Correct a log (the original is kept)"
        var form = Form(title: title, fields: fields)
        form.focus(on: "purpose")
        let kind = original.map { "contact.correct:\($0)" } ?? "contact.\(channel == .call ? "call" : "visit")"
        return FormScreen(
            form: form, kind: kind, customerID: customerID, customerLine: customerLine(customerID, ctx), resuming: resuming,
            draftContext: taskID.map { ["_taskID": $0] } ?? [:],
            validate: { form, ctx in contactLog(form, customerID: customerID, corrects: original, ctx).problems },
            submit: { form, ctx, draftID throws(StoreError) in
                let (log, _) = contactLog(form, customerID: customerID, corrects: original, ctx)
                let reached = form["reached"] != "no"
                let complete = taskID != nil && reached && form["completeTask"] != "no" ? taskID : nil
                let (_, task) = try ctx.store.logContact(log, draftID: draftID, completingTask: complete,
                                                         by: ctx.user.staffID, now: ctx.localNow)
                var done = "已保存 saved: \(log.channel.label)"
                if let task { done += " · 新任务 task \(task.dueOn.iso) \(task.title)" }
                if complete != nil { done += " · 任务完成 task done" }
                if taskID != nil && !reached { done += " · 未接通, 任务保留 not reached, task kept" }
                return done
            })
    }

    /// The log a contact form describes, and what is wrong with it (field → reason).
    static func contactLog(_ form: Form, customerID: String, corrects: String?, _ ctx: AppContext)
        -> (log: ContactLog, problems: [String: String]) {
        var problems: [String: String] = [:]
        var duration: Int?
        let d = form["duration"].trimmingCharacters(in: .whitespaces)
        if !d.isEmpty {
            if let v = Int(d) { duration = v } else { problems["duration"] = "数字 a number of minutes" }
        }
        var due: CalendarDate?
        let dueText = form["nextStepDue"].trimmingCharacters(in: .whitespaces)
        if !dueText.isEmpty {
            if let v = parseDay(dueText, today: ctx.today) { due = v } else { problems["nextStepDue"] = "YYYY-MM-DD 或 +N" }
        }
        let notReached = form["reached"] == "no"
        let outcome = form["outcome"].trimmingCharacters(in: .whitespaces)
        let log = ContactLog(
            customerID: customerID, channel: InteractionChannel(rawValue: form["channel"]) ?? .visit, at: form["at"],
            durationMinutes: duration, present: form["present"], purpose: form["purpose"], discussed: form["discussed"],
            outcome: notReached && outcome.isEmpty ? "未接通 not reached" : form["outcome"], mood: CustomerMood(rawValue: form["mood"]), lifeEvents: form["lifeEvents"],
            nextStep: form["nextStep"], nextStepDue: due, corrects: corrects)
        for (k, v) in log.problems(now: ctx.localNow) where problems[k] == nil { problems[k] = v }
        return (log, problems)
    }

    /// `YYYY-MM-DD`, `+N` (days from today), 今天/明天/后天.
    static func parseDay(_ text: String, today: CalendarDate) -> CalendarDate? {
        switch text {
        case "今天", "today": return today
        case "明天", "tomorrow": return today.adding(days: 1)
        case "后天": return today.adding(days: 2)
        default: break
        }
        if text.hasPrefix("+"), let n = Int(text.dropFirst()), (0...3650).contains(n) { return today.adding(days: n) }
        return CalendarDate(iso: text)
    }

    // MARK: Tasks

    static func newTask(customerID: String, _ ctx: AppContext, resuming: Draft? = nil) -> FormScreen {
        let priorities = TaskPriority.allCases.map { Form.Option(String($0.rawValue), "\($0.label) \($0)") }
        let form = Form(title: "新任务 New task", fields: [
            Form.Field("title", "任务 Task", hint: "要做什么 what to do", maxLength: 200),
            Form.Field("due", "日期 Due", value: "+1", hint: "YYYY-MM-DD 或 +N 天 days", maxLength: 10),
            Form.Field("priority", "优先级 Priority", .choice(priorities), value: "2"),
            Form.Field("reason", "原因 Reason", hint: "为什么 why (shown on Today)", maxLength: 200),
        ])
        func problems(_ form: Form, _ ctx: AppContext) -> [String: String] {
            var p: [String: String] = [:]
            if form["title"].trimmingCharacters(in: .whitespaces).isEmpty { p["title"] = "必填 required" }
            if let d = parseDay(form["due"], today: ctx.today) {
                if d < ctx.today { p["due"] = "不能早于今天 not before today" }
            } else { p["due"] = "YYYY-MM-DD 或 +N" }
            return p
        }
        return FormScreen(
            form: form, kind: "task.new", customerID: customerID, customerLine: customerLine(customerID, ctx),
            resuming: resuming, validate: problems,
            submit: { form, ctx, draftID throws(StoreError) in
                let due = parseDay(form["due"], today: ctx.today)!
                let reason = form["reason"].trimmingCharacters(in: .whitespaces)
                let t = try ctx.store.createTask(customerID: customerID, title: form["title"], reason: reason.isEmpty ? nil : reason,
                                                 dueOn: due, priority: TaskPriority(rawValue: Int(form["priority"]) ?? 2) ?? .normal,
                                                 draftID: draftID, by: ctx.user.staffID)
                return "任务已建 task added: \(t.dueOn.iso) \(t.title)"
            })
    }

    static func completeTask(_ item: QueueItem, _ ctx: AppContext) -> FormScreen {
        let outcomes = ["已联系 reached", "未接通 not reached", "客户办理 customer acted", "客户拒绝 declined", "不再需要 no longer needed"]
        let form = Form(title: "完成任务 Done: \(item.task.title)", fields: [
            Form.Field("outcome", "结果 Outcome", .choice(outcomes.map { Form.Option($0, $0) }), value: outcomes[0]),
            Form.Field("note", "说明 Note", hint: "可选 optional", maxLength: 300),
        ])
        return FormScreen(
            form: form, kind: "task.done", customerID: item.task.customerID,
            customerLine: "\(item.customerName)  \(item.task.dueOn.iso)  \(item.task.title)", keepsDraft: false,
            validate: { _, _ in [:] },
            submit: { form, ctx, _ throws(StoreError) in
                let note = form["note"].trimmingCharacters(in: .whitespaces)
                try ctx.store.completeTask(taskID: item.task.taskID, outcome: form["outcome"] + (note.isEmpty ? "" : "：\(note)"),
                                           by: ctx.user.staffID)
                return "任务完成 done: \(item.task.title)"
            })
    }

    static func reschedule(_ item: QueueItem, _ ctx: AppContext) -> FormScreen {
        let form = Form(title: "改期 Snooze / reschedule: \(item.task.title)", fields: [
            Form.Field("due", "新日期 New date", value: "+1", hint: "+1 明天, +7 下周, YYYY-MM-DD", maxLength: 10),
        ])
        return FormScreen(
            form: form, kind: "task.snooze", customerID: item.task.customerID,
            customerLine: "\(item.customerName)  现在 now \(item.task.dueOn.iso)", keepsDraft: false,
            validate: { form, ctx in
                guard let d = parseDay(form["due"], today: ctx.today) else { return ["due": "YYYY-MM-DD 或 +N"] }
                return d < ctx.today ? ["due": "不能早于今天 not before today"] : [:]
            },
            submit: { form, ctx, _ throws(StoreError) in
                let d = parseDay(form["due"], today: ctx.today)!
                try ctx.store.rescheduleTask(taskID: item.task.taskID, to: d, by: ctx.user.staffID)
                return "已改期 moved to \(d.iso)"
            })
    }

    // MARK: Complaints, notes, reveals

    static func complaint(customerID: String, _ ctx: AppContext, resuming: Draft? = nil) -> FormScreen {
        let channels = ComplaintChannel.allCases.map { Form.Option($0.rawValue, "\($0.label) \($0.rawValue)") }
        let severities = Severity.allCases.reversed().map {
            Form.Option($0.rawValue, "\($0.label) \($0.rawValue) · \(ComplaintSLA.standard.days[$0] ?? 15) 天 days")
        }
        var form = Form(title: "投诉登记 Complaint intake", fields: [
            Form.Field("channel", "渠道 Channel", .choice(channels), value: "counter"),
            Form.Field("category", "类别 Category", hint: "服务态度、排队时间长、收益、手续费…", maxLength: 40),
            Form.Field("severity", "严重程度 Severity", .choice(severities), value: "medium"),
            Form.Field("description", "描述 Description", hint: "客户说了什么 what happened", maxLength: 2000),
        ])
        form.focus(on: "category")
        func intake(_ form: Form) -> ComplaintIntake {
            ComplaintIntake(customerID: customerID, channel: ComplaintChannel(rawValue: form["channel"]) ?? .other,
                            category: form["category"], severity: Severity(rawValue: form["severity"]) ?? .medium,
                            description: form["description"])
        }
        return FormScreen(
            form: form, kind: "complaint.new", customerID: customerID, customerLine: customerLine(customerID, ctx),
            resuming: resuming, validate: { form, _ in intake(form).problems },
            submit: { form, ctx, draftID throws(StoreError) in
                let c = try ctx.store.fileComplaint(intake(form), sla: ctx.rules.complaintSLA, draftID: draftID, by: ctx.user.staffID,
                                                    now: ctx.localNow)
                return "投诉已登记 complaint filed, deadline \(c.deadlineAt.prefix(16))"
            })
    }

    /// The next step of a complaint's loop: only the steps allowed from where it is.
    static func complaintStep(_ c: Complaint, _ name: String, _ ctx: AppContext) -> FormScreen {
        let status = ComplaintStatus(stored: c.status)
        let form = Form(title: "处理投诉 Complaint \(c.complaintID): \(status.label)", fields: [
            Form.Field("to", "下一步 Next", .choice(status.next.map { Form.Option($0.rawValue, $0.label) })),
            Form.Field("owner", "负责人 Owner", value: ctx.user.staffID, hint: "员工号 staff ID (assigning)", maxLength: 20),
            Form.Field("note", "说明 Note", hint: "怎么处理的 what was done (needed to resolve or close)", maxLength: 500),
        ])
        return FormScreen(
            form: form, kind: "complaint.step", customerID: c.customerID,
            customerLine: "\(name)  \(c.category ?? "")  \(c.severity.label)  期限 \(c.deadlineAt.prefix(16))", keepsDraft: false,
            validate: { form, _ in
                ["resolved", "closed"].contains(form["to"]) && form["note"].trimmingCharacters(in: .whitespaces).isEmpty
                    ? ["note": "必填 required"] : [:]
            },
            submit: { form, ctx, _ throws(StoreError) in
                let next = ComplaintStatus(rawValue: form["to"]) ?? .inProgress
                try ctx.store.advanceComplaint(c.complaintID, to: next, owner: next == .assigned ? form["owner"] : nil,
                                               note: form["note"], by: ctx.user.staffID, now: ctx.localNow)
                return "投诉 \(c.complaintID): \(next.label)"
            })
    }

    static func complaintCallback(_ c: Complaint, _ name: String, _ ctx: AppContext) -> FormScreen {
        let form = Form(title: "回访 Callback: \(c.complaintID)", fields: [
            Form.Field("satisfied", "满意 Satisfied", .choice([Form.Option("yes", "满意 yes — confirm"), Form.Option("no", "不满意 no — reopen")])),
            Form.Field("note", "客户说 Customer said", maxLength: 500),
        ])
        return FormScreen(
            form: form, kind: "complaint.callback", customerID: c.customerID, customerLine: "\(name)  \(c.category ?? "")",
            keepsDraft: false, validate: { _, _ in [:] },
            submit: { form, ctx, _ throws(StoreError) in
                let note = form["note"].trimmingCharacters(in: .whitespaces)
                try ctx.store.recordComplaintCallback(c.complaintID, satisfied: form["satisfied"] == "yes", note: note.isEmpty ? nil : note,
                                                      by: ctx.user.staffID, now: ctx.localNow)
                return form["satisfied"] == "yes" ? "已确认 confirmed" : "已重新打开 reopened"
            })
    }

    /// A staff member's own churn warning: it opens a retention case the RM then works.
    static func churnWarning(customerID: String, _ ctx: AppContext) -> FormScreen {
        let form = Form(title: "流失预警 Churn warning", fields: [
            Form.Field("signal", "看到了什么 What you saw", hint: "如 说要把定期转到邮储 e.g. moving the deposit elsewhere", maxLength: 300),
        ])
        return FormScreen(
            form: form, kind: "retention.open", customerID: customerID, customerLine: customerLine(customerID, ctx), keepsDraft: false,
            validate: { form, _ in form["signal"].trimmingCharacters(in: .whitespaces).isEmpty ? ["signal": "必填 required"] : [:] },
            submit: { form, ctx, _ throws(StoreError) in
                let c = try ctx.store.openRetentionCase(customerID: customerID, signal: form["signal"], by: ctx.user.staffID)
                return "挽留案例已开 retention case \(c.caseID) opened"
            })
    }

    /// A correction of core data the RM learned in the field: a proposal a lead decides.
    static func correction(customerID: String, _ ctx: AppContext) -> FormScreen {
        let form = Form(title: "更正资料 Propose a correction (a lead decides; the core system is told)", fields: [
            Form.Field("field", "项目 Field", .choice(ProfileProposal.Field.allCases.map { Form.Option($0.rawValue, $0.label) })),
            Form.Field("value", "新值 New value", hint: "手机 11 位 / 地址 mobile: 11 digits; address", maxLength: 200),
            Form.Field("reason", "原因 Why", hint: "如 客户换号 e.g. the customer changed numbers", maxLength: 200),
        ])
        return FormScreen(
            form: form, kind: "profile.propose", customerID: customerID, customerLine: customerLine(customerID, ctx), keepsDraft: false,
            validate: { form, _ in
                let field = ProfileProposal.Field(rawValue: form["field"]) ?? .mobile
                if case .failure(let e) = ProfileProposal.normalise(field, form["value"]) { return ["value": e.message] }
                return [:]
            },
            submit: { form, ctx, _ throws(StoreError) in
                let p = try ctx.store.proposeCorrection(customerID: customerID, field: ProfileProposal.Field(rawValue: form["field"]) ?? .mobile,
                                                        value: form["value"], reason: form["reason"], by: ctx.user.staffID)
                return "更正已提交 correction \(p.proposalID) proposed; a lead decides"
            })
    }

    /// A lead rejects a correction, saying why (the proposer sees it on the profile).
    static func rejectCorrection(_ p: ProfileProposal, line: String, onDone: @escaping () -> Void) -> FormScreen {
        let form = Form(title: "拒绝更正 Reject a correction", fields: [Form.Field("reason", "原因 Why", maxLength: 200)])
        return FormScreen(
            form: form, kind: "profile.reject", customerID: p.customerID, customerLine: line, keepsDraft: false,
            validate: { form, _ in form["reason"].trimmingCharacters(in: .whitespaces).isEmpty ? ["reason": "必填 required"] : [:] },
            submit: { form, ctx, _ throws(StoreError) in
                try ctx.store.decideProposal(p.proposalID, accept: false, note: form["reason"], by: ctx.user.staffID)
                onDone()
                ctx.sync?.syncNow()
                return "已拒绝 rejected \(p.proposalID)"
            })
    }

    /// A new campaign: the target is checked as it is typed (the same text `furrow campaign create --where` takes).
    static func newCampaign(_ ctx: AppContext, onDone: @escaping () -> Void) -> FormScreen {
        let kinds = Campaign.Kind.allCases.map { Form.Option($0.rawValue, $0.label) }
        let items = [Form.Option("", "— 无 none")] + ServiceItem.allCases.map { Form.Option(String($0.rawValue), "\($0.rawValue) \($0.label)") }
        let form = Form(title: "新活动 New campaign", fields: [
            Form.Field("name", "名称 Name", hint: "如 中秋关怀", maxLength: 100),
            Form.Field("kind", "类型 Kind", .choice(kinds), value: Campaign.Kind.care.rawValue),
            Form.Field("from", "开始 From", value: "今天", hint: "YYYY-MM-DD 或 +N", maxLength: 10),
            Form.Field("to", "结束 To", value: "+14", hint: "YYYY-MM-DD 或 +N", maxLength: 10),
            Form.Field("target", "目标 Target", hint: "tier=wealth,affluent aum>=200000 maturing<=30 not-holding=fund age=45-70", maxLength: 300),
            Form.Field("products", "产品 Products", hint: "产品代码, 逗号分隔 product codes (a push)", maxLength: 200),
            Form.Field("item", "服务项目 Service item", .choice(items), value: ""),
            Form.Field("venue", "地点 Venue", hint: "活动 events only", maxLength: 100),
            Form.Field("at", "时间 Time", hint: "YYYY-MM-DD HH:MM (events)", maxLength: 16),
            Form.Field("seats", "座位 Seats", hint: "名额, 超出的候补 beyond them people wait (events)", maxLength: 6),
        ])
        func problems(_ form: Form, _ ctx: AppContext) -> [String: String] {
            var p: [String: String] = [:]
            if form["name"].trimmingCharacters(in: .whitespaces).isEmpty { p["name"] = "必填 required" }
            let from = parseDay(form["from"], today: ctx.today), to = parseDay(form["to"], today: ctx.today)
            if from == nil { p["from"] = "YYYY-MM-DD 或 +N" }
            if to == nil { p["to"] = "YYYY-MM-DD 或 +N" } else if let from, let to, to < from { p["to"] = "早于开始 before the start" }
            do { _ = try CampaignTarget.parse(form["target"]) } catch { p["target"] = "\(error.condition): \(error.reason)" }
            if form["kind"] == Campaign.Kind.productPush.rawValue, form["products"].trimmingCharacters(in: .whitespaces).isEmpty {
                p["products"] = "产品推广要写产品 a push names its products"
            }
            let isEvent = form["kind"] == Campaign.Kind.event.rawValue
            for f in ["venue", "at", "seats"] where !isEvent && !form[f].trimmingCharacters(in: .whitespaces).isEmpty {
                p[f] = "只用于活动 events only"
            }
            if isEvent, !form["at"].isEmpty, ContactLog.normalised(form["at"]) == nil { p["at"] = "YYYY-MM-DD HH:MM" }
            if isEvent, !form["seats"].isEmpty, !(Int(form["seats"]).map { (1...100_000).contains($0) } ?? false) { p["seats"] = "1–100000" }
            return p
        }
        return FormScreen(
            form: form, kind: "campaign.new", customerID: nil, customerLine: "活动由组长发起 a team lead's campaign", keepsDraft: false,
            validate: problems,
            submit: { form, ctx, _ throws(StoreError) in
                let target = (try? CampaignTarget.parse(form["target"])) ?? CampaignTarget()
                let c = try ctx.store.createCampaign(
                    name: form["name"], kind: Campaign.Kind(rawValue: form["kind"]) ?? .care,
                    startsOn: parseDay(form["from"], today: ctx.today) ?? ctx.today, endsOn: parseDay(form["to"], today: ctx.today) ?? ctx.today,
                    products: form["products"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                    target: target, serviceItem: Int(form["item"]).flatMap(ServiceItem.init(rawValue:)),
                    venue: form["venue"].isEmpty ? nil : form["venue"], eventAt: form["at"].isEmpty ? nil : form["at"],
                    capacity: Int(form["seats"]), by: ctx.user.staffID)
                onDone()
                return "活动已建 campaign \(c.campaignID) created: b 生成名单 builds its list"
            })
    }

    static func newProspect(_ ctx: AppContext, onDone: @escaping () -> Void) -> FormScreen {
        let sources = Prospect.Source.allCases.map { Form.Option($0.rawValue, $0.label) }
        let form = Form(title: "新潜在客户 New prospect", fields: [
            Form.Field("name", "姓名 Name", maxLength: 50),
            Form.Field("mobile", "手机 Mobile", hint: "11 位 digits (或填身份证 or the ID number)", maxLength: 20),
            Form.Field("id", "身份证 ID number", hint: "可选 optional", maxLength: 18),
            Form.Field("village", "村 Village", maxLength: 50),
            Form.Field("employer", "单位 Employer", maxLength: 100),
            Form.Field("source", "来源 Source", .choice(sources), value: Prospect.Source.outreach.rawValue),
            Form.Field("referrer", "介绍人 Referrer", hint: "客户号 customer ID (referrals)", maxLength: 20),
            Form.Field("interest", "意向 Interest", hint: "如 养老理财", maxLength: 100),
            Form.Field("outreach", "外拓日 Outreach day", .choice(outreachOptions(ctx)), value: recentOutreachDay(ctx) ?? "",
                       hint: "来源为外拓时 when the source is outreach"),
        ])
        func problems(_ form: Form, _ ctx: AppContext) -> [String: String] {
            var p: [String: String] = [:]
            if form["name"].trimmingCharacters(in: .whitespaces).isEmpty { p["name"] = "必填 required" }
            let mobile = form["mobile"].trimmingCharacters(in: .whitespaces), id = form["id"].trimmingCharacters(in: .whitespaces)
            if mobile.isEmpty && id.isEmpty { p["mobile"] = "手机或身份证 a mobile or an ID number" }
            if !mobile.isEmpty, case .failure(let e) = ProfileProposal.normalise(.mobile, mobile) { p["mobile"] = e.message }
            if !id.isEmpty { do { _ = try ResidentID.parse(id, today: ctx.today) } catch { p["id"] = error.description } }
            if form["source"] == Prospect.Source.referral.rawValue, form["referrer"].trimmingCharacters(in: .whitespaces).isEmpty {
                p["referrer"] = "转介绍要写介绍人 a referral names the customer"
            }
            return p
        }
        return FormScreen(
            form: form, kind: "prospect.new", customerID: nil, customerLine: "不是客户的人 someone who is not a customer yet", keepsDraft: false,
            validate: problems,
            submit: { form, ctx, _ throws(StoreError) in
                func v(_ k: String) -> String? { let t = form[k].trimmingCharacters(in: .whitespaces); return t.isEmpty ? nil : t }
                let p = try ctx.store.addProspect(name: form["name"], mobile: v("mobile"), idNumber: v("id"), village: v("village"),
                                                  employer: v("employer"), source: Prospect.Source(rawValue: form["source"]) ?? .outreach,
                                                  // The day counts only for people met on it.
                                                  referrerID: v("referrer"),
                                                  outreachID: form["source"] == Prospect.Source.outreach.rawValue ? v("outreach") : nil,
                                                  interest: v("interest"),
                                                  owner: ctx.user.staffID, by: ctx.user.staffID)
                onDone()
                return "已添加 added \(p.prospectID) \(p.name)"
            })
    }

    static func prospectStage(_ p: Prospect, onDone: @escaping () -> Void) -> FormScreen {
        let form = Form(title: "推进 Move on: \(p.name) (\(p.stage.label))", fields: [
            Form.Field("stage", "阶段 Stage", .choice(p.stage.next.map { Form.Option($0.rawValue, $0.label) }), value: p.stage.next.first?.rawValue ?? ""),
            Form.Field("note", "说明 Note", hint: "流失必填原因 the reason, for lost", maxLength: 200),
            Form.Field("next", "下一步 Next step", value: p.nextStep ?? "", hint: "如 约周六面谈", maxLength: 200),
            Form.Field("due", "日期 By", value: p.nextStepDue?.iso ?? "", hint: "YYYY-MM-DD 或 +N", maxLength: 10),
        ])
        return FormScreen(
            form: form, kind: "prospect.stage", customerID: nil, customerLine: "\(p.name)  \(p.source.label)", keepsDraft: false,
            validate: { form, ctx in
                var problems: [String: String] = [:]
                if form["stage"] == Prospect.Stage.lost.rawValue && form["note"].trimmingCharacters(in: .whitespaces).isEmpty { problems["note"] = "必填 required" }
                let next = form["next"].trimmingCharacters(in: .whitespaces)
                if !next.isEmpty, parseDay(form["due"], today: ctx.today) == nil { problems["due"] = "YYYY-MM-DD 或 +N" }
                return problems
            },
            submit: { form, ctx, _ throws(StoreError) in
                let to = Prospect.Stage(rawValue: form["stage"]) ?? .contacted
                let next = form["next"].trimmingCharacters(in: .whitespaces)
                // The stage and the next step in one write: a refusal leaves neither.
                try ctx.store.advanceProspect(p.prospectID, to: to, note: form["note"],
                                              next: (next.isEmpty ? nil : next, parseDay(form["due"], today: ctx.today)), by: ctx.user.staffID)
                onDone()
                return "\(p.name): \(to.label)"
            })
    }

    static func note(customerID: String, _ ctx: AppContext, resuming: Draft? = nil) -> FormScreen {
        let form = Form(title: "备注 Note", fields: [Form.Field("text", "备注 Note", maxLength: 2000)])
        return FormScreen(
            form: form, kind: "note.new", customerID: customerID, customerLine: customerLine(customerID, ctx),
            resuming: resuming,
            validate: { form, _ in form["text"].trimmingCharacters(in: .whitespaces).isEmpty ? ["text": "必填 required"] : [:] },
            submit: { form, ctx, draftID throws(StoreError) in
                try ctx.store.addNote(customerID: customerID, text: form["text"], draftID: draftID, by: ctx.user.staffID)
                return "备注已存 note saved"
            })
    }

    static func tag(customerID: String, _ ctx: AppContext) -> FormScreen {
        let form = Form(title: "标签 Tag (prefix − to remove)", fields: [Form.Field("tag", "标签 Tag", hint: "如 养殖户, −老客户", maxLength: 21)])
        return FormScreen(
            form: form, kind: "tag", customerID: customerID, customerLine: customerLine(customerID, ctx), keepsDraft: false,
            validate: { form, _ in form["tag"].trimmingCharacters(in: .whitespaces).isEmpty ? ["tag": "必填 required"] : [:] },
            submit: { form, ctx, _ throws(StoreError) in
                let t = form["tag"].trimmingCharacters(in: .whitespaces)
                if t.hasPrefix("-") || t.hasPrefix("−") {
                    try ctx.store.removeTag(customerID: customerID, tag: String(t.dropFirst()), by: ctx.user.staffID)
                    return "标签已删 tag removed"
                }
                try ctx.store.addTag(customerID: customerID, tag: t, by: ctx.user.staffID)
                return "标签已加 tag added: \(t)"
            })
    }

    /// Asks why before personal data is shown unmasked; the reason goes to the audit trail.
    static func reveal(customerID: String, _ ctx: AppContext, onRevealed: @escaping (RevealedIdentity) -> Void) -> FormScreen {
        let reasons = ["客户办理业务 serving the customer", "核实身份 verifying identity", "联系客户 contacting the customer", "其他 other"]
        let form = Form(title: "显示完整信息 Unmask personal data", fields: [
            Form.Field("reason", "原因 Reason", .choice(reasons.map { Form.Option($0, $0) }), value: reasons[0]),
            Form.Field("detail", "说明 Detail", hint: "选其他时必填 required for other", maxLength: 200),
        ])
        return FormScreen(
            form: form, kind: "reveal", customerID: customerID,
            customerLine: "此操作会被记录 This is recorded in the audit trail", keepsDraft: false,
            validate: { form, _ in
                form["reason"].hasPrefix("其他") && form["detail"].trimmingCharacters(in: .whitespaces).isEmpty
                    ? ["detail": "必填 required"] : [:]
            },
            submit: { form, ctx, _ throws(StoreError) in
                let detail = form["detail"].trimmingCharacters(in: .whitespaces)
                // Opened and recorded together: a locked store says so and nothing is shown or recorded.
                let opened = try ctx.store.reveal(customerIDs: [customerID], by: ctx.user.staffID,
                                                  context: "workstation: " + form["reason"] + (detail.isEmpty ? "" : " — \(detail)"))
                guard let identity = opened[customerID] else { throw StoreError.notFound(what: "customer \(customerID)") }
                onRevealed(identity)
                return "已显示 unmasked (recorded); masking returns when you leave the profile"
            })
    }
}
