import FurrowCore
import FurrowStore
import TerminalUI

extension FormScreens {
    /// An outreach day (外拓): where, when, who went, how many people were met. The people met
    /// are then added as prospects with the day chosen as where they came from.
    static func outreachDay(_ ctx: AppContext, onDone: @escaping () -> Void) -> FormScreen {
        let form = Form(title: "外拓日 An outreach day", fields: [
            Form.Field("place", "地点 Where", hint: "村、集市或单位 a village, a market, an employer", maxLength: 100),
            Form.Field("day", "日期 Day", value: "今天", hint: "YYYY-MM-DD, 今天, 昨天 或 -N (N 天前 days ago)", maxLength: 10),
            Form.Field("staff", "人员 Who went", value: ctx.user.staffID, hint: "员工号, 逗号分隔 staff IDs, comma-separated", maxLength: 100),
            Form.Field("met", "接触人数 People met", hint: "人数 a number", maxLength: 6),
            Form.Field("note", "说明 Note", maxLength: 200),
        ])
        func day(_ text: String) -> CalendarDate? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("-"), let n = Int(t.dropFirst()), (0...365).contains(n) { return ctx.today.adding(days: -n) }
            if t == "昨天" || t == "yesterday" { return ctx.today.adding(days: -1) }
            if t == "前天" { return ctx.today.adding(days: -2) }
            return parseDay(t, today: ctx.today)
        }
        func staff(_ form: Form) -> [String] {
            form["staff"].split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map(String.init)
        }
        func problems(_ form: Form, _ ctx: AppContext) -> [String: String] {
            var p: [String: String] = [:]
            if form["place"].trimmingCharacters(in: .whitespaces).isEmpty { p["place"] = "必填 required" }
            if let d = day(form["day"]) {
                if d > ctx.today { p["day"] = "还没到 not yet (a day that happened)" }
            } else {
                p["day"] = "YYYY-MM-DD, 今天 或 -N"
            }
            if staff(form).isEmpty { p["staff"] = "必填 required" }
            if Int(form["met"].trimmingCharacters(in: .whitespaces)).map({ $0 >= 0 }) != true { p["met"] = "人数 a number" }
            return p
        }
        return FormScreen(
            form: form, kind: "outreach.day", customerID: nil, customerLine: "外拓 outreach: 见到的人之后加为潜客 the people met become prospects",
            keepsDraft: false, validate: problems,
            submit: { form, ctx, _ throws(StoreError) in
                let note = form["note"].trimmingCharacters(in: .whitespaces)
                let id = try ctx.store.logOutreach(place: form["place"], on: day(form["day"]) ?? ctx.today, staff: staff(form),
                                                   peopleMet: Int(form["met"].trimmingCharacters(in: .whitespaces)) ?? 0,
                                                   note: note.isEmpty ? nil : note, by: ctx.user.staffID)
                onDone()
                return "已记 logged \(id): n 添加见到的人 adds the people met (来源 source: 外拓 outreach)"
            })
    }

    /// The day just logged (today's or yesterday's), which a new prospect most likely comes
    /// from; an older one is not offered by default, or it would collect everyone added later.
    static func recentOutreachDay(_ ctx: AppContext) -> String? {
        guard let last = (try? ctx.store.outreachLogs())?.first, let day = CalendarDate(iso: last.day),
              day >= ctx.today.adding(days: -1) else { return nil }
        return last.id
    }

    /// The outreach days a new prospect may come from, newest first (a choice on the form).
    static func outreachOptions(_ ctx: AppContext) -> [Form.Option] {
        let days = (try? ctx.store.outreachLogs()) ?? []
        return [Form.Option("", "— 无 none")] + days.prefix(20).map { Form.Option($0.id, "\($0.day.dropFirst(5)) \($0.place)") }
    }
}
