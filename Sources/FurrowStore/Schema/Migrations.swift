import GRDB

/// The store's history. Migrations are named, append-only and never edited once landed: a new
/// need is a new migration at the end. Extract tables keep the extract's column order (then the
/// columns Furrow derives), so `sqlite3 .import` can load the same CSVs for the benchmark baseline.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("2026-11-22 extract tables") { db in
            try db.execute(sql: """
            CREATE TABLE staff (
                staff_id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                team TEXT,
                active INTEGER NOT NULL
            );
            CREATE TABLE customers (
                customer_id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                gender TEXT,
                birth_date TEXT,
                id_type TEXT,
                id_number TEXT,
                mobile TEXT,
                address TEXT,
                village TEXT,
                occupation TEXT,
                employer TEXT,
                industry_quality TEXT,
                risk_level TEXT,
                risk_assessed_on TEXT,
                acquisition_channel TEXT,
                referrer_id TEXT,
                opened_on TEXT,
                flags TEXT,
                -- derived by Furrow (nullable so a raw .import of the extract columns still loads)
                id INTEGER PRIMARY KEY,
                rm_id TEXT,
                aum_fen INTEGER,
                aum_month TEXT,
                tier TEXT,
                last_contact_at TEXT,
                pinyin TEXT,
                pinyin_alt TEXT,
                initials TEXT,
                initials_alt TEXT,
                phone_last4 TEXT,
                id_last4 TEXT,
                id_last6 TEXT
            );
            CREATE TABLE relations (
                customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,
                related_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,
                relation TEXT NOT NULL,
                PRIMARY KEY (customer_id, related_id, relation)
            ) WITHOUT ROWID;
            CREATE INDEX relations_related ON relations(related_id);
            CREATE TABLE products (
                product_code TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                risk_level TEXT,
                term_days INTEGER
            );
            CREATE TABLE accounts (
                account_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                product_code TEXT NOT NULL REFERENCES products(product_code),
                opened_on TEXT,
                maturity_date TEXT,
                balance_fen INTEGER NOT NULL,
                status TEXT NOT NULL,
                rate TEXT
            );
            CREATE INDEX accounts_customer ON accounts(customer_id);
            CREATE TABLE monthly_balances (
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                month TEXT NOT NULL,
                aum_avg_fen INTEGER NOT NULL,
                aum_end_fen INTEGER NOT NULL,
                PRIMARY KEY (customer_id, month)
            ) WITHOUT ROWID;
            CREATE TABLE transactions (
                txn_id TEXT PRIMARY KEY NOT NULL,
                account_id TEXT NOT NULL REFERENCES accounts(account_id),
                posted_at TEXT NOT NULL,
                amount_fen INTEGER NOT NULL,
                kind TEXT NOT NULL,
                channel TEXT,
                counterparty_name TEXT,
                counterparty_bank TEXT,
                payroll_unit_id TEXT,
                memo TEXT
            ) WITHOUT ROWID;
            CREATE INDEX transactions_account ON transactions(account_id, posted_at);
            CREATE TABLE loan_schedule (
                account_id TEXT NOT NULL REFERENCES accounts(account_id),
                due_date TEXT NOT NULL,
                principal_fen INTEGER NOT NULL,
                interest_fen INTEGER NOT NULL,
                PRIMARY KEY (account_id, due_date)
            ) WITHOUT ROWID;
            CREATE TABLE assignments (
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                staff_id TEXT NOT NULL REFERENCES staff(staff_id),
                since TEXT NOT NULL,
                PRIMARY KEY (customer_id, since)
            ) WITHOUT ROWID;
            CREATE TABLE payroll_units (
                unit_id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                uscc TEXT,
                payroll_day INTEGER,
                contact_name TEXT,
                contact_mobile TEXT
            );
            CREATE TABLE surveys (
                response_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT REFERENCES customers(customer_id),
                answered_on TEXT NOT NULL,
                attitude INTEGER,
                online INTEGER,
                efficiency INTEGER,
                skill INTEGER,
                recommend INTEGER
            );
            CREATE INDEX surveys_customer ON surveys(customer_id);
            CREATE TABLE complaints (
                complaint_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                received_at TEXT NOT NULL,
                channel TEXT NOT NULL,
                category TEXT,
                severity TEXT NOT NULL,
                description TEXT,
                status TEXT
            );
            CREATE INDEX complaints_customer ON complaints(customer_id);
            CREATE TABLE interactions (
                interaction_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                staff_id TEXT,
                at TEXT NOT NULL,
                channel TEXT NOT NULL,
                purpose TEXT,
                notes TEXT,
                outcome TEXT,
                corrects TEXT REFERENCES interactions(interaction_id),
                source TEXT
            );
            CREATE INDEX interactions_customer ON interactions(customer_id, at);
            """)
        }
        m.registerMigration("2026-11-22 customer indexes and search") { db in
            try db.execute(sql: """
            CREATE INDEX customers_name ON customers(name);
            CREATE INDEX customers_pinyin ON customers(pinyin);
            CREATE INDEX customers_pinyin_alt ON customers(pinyin_alt) WHERE pinyin_alt IS NOT NULL;
            CREATE INDEX customers_initials ON customers(initials);
            CREATE INDEX customers_initials_alt ON customers(initials_alt) WHERE initials_alt IS NOT NULL;
            CREATE INDEX customers_phone_last4 ON customers(phone_last4) WHERE phone_last4 IS NOT NULL;
            CREATE INDEX customers_id_last4 ON customers(id_last4) WHERE id_last4 IS NOT NULL;
            CREATE INDEX customers_id_last6 ON customers(id_last6) WHERE id_last6 IS NOT NULL;
            CREATE INDEX customers_rm_aum ON customers(rm_id, aum_fen DESC, id DESC);
            CREATE INDEX customers_rm_pinyin ON customers(rm_id, pinyin, id);
            CREATE INDEX customers_rm_contact ON customers(rm_id, ifnull(last_contact_at, ''), id);
            CREATE INDEX customers_aum ON customers(aum_fen DESC, id DESC);
            -- Names as space-separated characters: every substring of a name is a phrase query,
            -- so 1-, 2- and 3+-character Chinese queries share one index (see docs/search.md).
            CREATE VIRTUAL TABLE customer_name_chars USING fts5(chars, tokenize = 'unicode61');
            """)
        }
        m.registerMigration("2026-11-22 rm work and audit") { db in
            try db.execute(sql: """
            CREATE TABLE tasks (
                task_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                staff_id TEXT,
                title TEXT NOT NULL,
                reason TEXT,
                due_on TEXT NOT NULL,
                status TEXT NOT NULL,
                outcome TEXT,
                created_at TEXT NOT NULL,
                closed_at TEXT
            );
            CREATE INDEX tasks_customer ON tasks(customer_id, status);
            CREATE INDEX tasks_staff_due ON tasks(staff_id, status, due_on);
            CREATE TABLE notes (
                note_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                staff_id TEXT,
                at TEXT NOT NULL,
                text TEXT NOT NULL
            );
            CREATE INDEX notes_customer ON notes(customer_id, at);
            CREATE TABLE customer_tags (
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                tag TEXT NOT NULL,
                added_by TEXT,
                added_at TEXT NOT NULL,
                PRIMARY KEY (customer_id, tag)
            ) WITHOUT ROWID;
            CREATE INDEX customer_tags_tag ON customer_tags(tag);
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                customer_id TEXT,
                detail TEXT
            );
            CREATE INDEX audit_customer ON audit_log(customer_id);
            CREATE TABLE import_runs (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL,
                directory TEXT NOT NULL,
                actor TEXT NOT NULL,
                summary TEXT NOT NULL
            );
            """)
        }
        m.registerMigration("2026-11-23 import runs record their as-of date") { db in
            // The current RM is the latest assignment in force on the newest extract's date;
            // remembering that date lets a later import move customers whose future-dated
            // reassignment has come into force since.
            try db.execute(sql: "ALTER TABLE import_runs ADD COLUMN as_of TEXT")
        }
        m.registerMigration("2026-11-23 workstation: priorities, full contact logs, complaint deadlines, drafts, views") { db in
            try db.execute(sql: """
            -- 1 high, 2 normal, 3 low: a part of the urgency the Today queue explains.
            ALTER TABLE tasks ADD COLUMN priority INTEGER NOT NULL DEFAULT 2;
            -- The contact log that set this task as its next step.
            ALTER TABLE tasks ADD COLUMN from_interaction TEXT;
            ALTER TABLE interactions ADD COLUMN duration_min INTEGER;
            ALTER TABLE interactions ADD COLUMN present TEXT;
            ALTER TABLE interactions ADD COLUMN mood TEXT;
            ALTER TABLE interactions ADD COLUMN life_events TEXT;
            ALTER TABLE interactions ADD COLUMN next_step TEXT;
            ALTER TABLE complaints ADD COLUMN deadline_at TEXT;
            ALTER TABLE complaints ADD COLUMN recorded_by TEXT;
            CREATE INDEX complaints_received ON complaints(received_at);
            -- What an RM has typed into a form and not saved yet; kept on every keystroke so a
            -- crash, a closed terminal or a power cut loses nothing.
            CREATE TABLE drafts (
                draft_id TEXT PRIMARY KEY NOT NULL,
                staff_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                customer_id TEXT,
                fields TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX drafts_staff ON drafts(staff_id, updated_at);
            CREATE TABLE saved_views (
                staff_id TEXT NOT NULL,
                name TEXT NOT NULL,
                spec TEXT NOT NULL,
                saved_at TEXT NOT NULL,
                PRIMARY KEY (staff_id, name)
            ) WITHOUT ROWID;
            """)
        }
        m.registerMigration("2026-11-23 rules: reminders with their cause") { db in
            try db.execute(sql: """
            -- The reminder engine's tasks: which rule made them, and the cause (one task per
            -- cause, ever: running the engine twice creates nothing new).
            ALTER TABLE tasks ADD COLUMN rule TEXT;
            ALTER TABLE tasks ADD COLUMN cause_key TEXT;
            CREATE UNIQUE INDEX tasks_cause ON tasks(cause_key) WHERE cause_key IS NOT NULL;
            CREATE INDEX accounts_maturity ON accounts(maturity_date) WHERE maturity_date IS NOT NULL;
            CREATE INDEX loan_schedule_due ON loan_schedule(due_date);
            CREATE INDEX interactions_life_events ON interactions(at) WHERE life_events IS NOT NULL;
            CREATE TABLE reminder_runs (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                scope TEXT NOT NULL,
                as_of TEXT NOT NULL,
                created INTEGER NOT NULL,
                withdrawn INTEGER NOT NULL,
                open INTEGER NOT NULL,
                milliseconds INTEGER NOT NULL
            );
            """)
        }
        m.registerMigration("2026-11-23 open tasks by due date") { db in
            // A team's or the branch's queue (no staff id to start from) reads open tasks by date.
            try db.execute(sql: "CREATE INDEX tasks_open_due ON tasks(due_on) WHERE status = 'open'")
        }
        m.registerMigration("2026-11-23 rules: each customer's classification") { db in
            // Written by the nightly run: the tier with hysteresis, segment A–H, value class,
            // activity and lifecycle stage, each with its reason. `customers.tier` stays the
            // tier of the latest AUM (the portfolio's index ranges rely on it).
            try db.execute(sql: """
            CREATE TABLE customer_rules (
                customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customers(customer_id),
                as_of TEXT NOT NULL,
                tier TEXT NOT NULL,
                tier_reason TEXT NOT NULL,
                segment TEXT,
                segment_reason TEXT NOT NULL,
                high_acceptance INTEGER NOT NULL,
                acceptance_override INTEGER,
                value_class TEXT NOT NULL,
                value_reason TEXT NOT NULL,
                activity TEXT NOT NULL,
                activity_reason TEXT NOT NULL,
                lifecycle TEXT NOT NULL,
                lifecycle_reason TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX customer_rules_segment ON customer_rules(segment) WHERE segment IS NOT NULL;
            CREATE INDEX customer_rules_activity ON customer_rules(activity);
            """)
        }
        m.registerMigration("2026-11-23 reports: tier history, monthly totals, payroll members") { db in
            // Reports on a million customers read these instead of 12 million monthly rows: the
            // nightly run writes each customer's tier for the last 12 months (one letter a
            // month: m w a p, - for none) and the month × RM × tier (× mass band) totals.
            try db.execute(sql: """
            ALTER TABLE customer_rules ADD COLUMN tier_history TEXT;
            ALTER TABLE customer_rules ADD COLUMN history_from TEXT;
            CREATE TABLE monthly_totals (
                month TEXT NOT NULL,
                rm_id TEXT NOT NULL,
                tier TEXT NOT NULL,
                band TEXT NOT NULL,
                customers INTEGER NOT NULL,
                aum_avg_fen INTEGER NOT NULL,
                PRIMARY KEY (month, rm_id, tier, band)
            ) WITHOUT ROWID;
            CREATE INDEX transactions_payroll ON transactions(payroll_unit_id, posted_at) WHERE kind = 'payroll';
            """)
        }
        m.registerMigration("2026-11-23 payroll index covers the report") { db in
            // The payroll report groups a million payroll credits by unit and account: with the
            // account and amount in the index it never visits the transactions table.
            try db.execute(sql: """
            DROP INDEX transactions_payroll;
            CREATE INDEX transactions_payroll ON transactions(payroll_unit_id, account_id, posted_at, amount_fen) WHERE kind = 'payroll';
            """)
        }
        m.registerMigration("2026-11-23 complaints: the closed loop") { db in
            // Every step of a complaint, append-only; the complaint row keeps the current state.
            try db.execute(sql: """
            ALTER TABLE complaints ADD COLUMN owner_id TEXT;
            ALTER TABLE complaints ADD COLUMN escalated_to TEXT;
            ALTER TABLE complaints ADD COLUMN resolved_at TEXT;
            ALTER TABLE complaints ADD COLUMN closed_at TEXT;
            CREATE TABLE complaint_events (
                id INTEGER PRIMARY KEY,
                complaint_id TEXT NOT NULL REFERENCES complaints(complaint_id),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                owner_id TEXT,
                note TEXT
            );
            CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);
            """)
        }
        m.registerMigration("2026-11-23 service: one customer one strategy, contact preferences") { db in
            try db.execute(sql: """
            -- 一户一策: an RM asks to serve a customer above their tier; a team lead decides.
            CREATE TABLE service_upgrades (
                upgrade_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                served_as TEXT NOT NULL,
                reason TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                requested_at TEXT NOT NULL,
                status TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT,
                decision_note TEXT
            );
            CREATE INDEX service_upgrades_customer ON service_upgrades(customer_id, status);
            -- The customer's own wishes: how and when to be contacted, and how often at most.
            CREATE TABLE customer_preferences (
                customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customers(customer_id),
                preferred_channel TEXT,
                quiet_hours TEXT,
                no_home_visits INTEGER NOT NULL DEFAULT 0,
                monthly_cap INTEGER,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
        }
        m.registerMigration("2026-11-23 retention cases") { db in
            // A churn warning opens a case: who owns it, why the customer is leaving, what was
            // done, and how it ended (retained / partly / lost, and where the money went).
            try db.execute(sql: """
            CREATE TABLE retention_cases (
                case_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id),
                opened_at TEXT NOT NULL,
                opened_by TEXT NOT NULL,
                owner_id TEXT,
                signal TEXT NOT NULL,
                status TEXT NOT NULL,
                reason_category TEXT,
                outcome TEXT,
                money_went TEXT,
                closed_at TEXT,
                closed_by TEXT
            );
            CREATE INDEX retention_cases_customer ON retention_cases(customer_id, status);
            CREATE INDEX retention_cases_open ON retention_cases(status, owner_id);
            CREATE TABLE retention_actions (
                id INTEGER PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES retention_cases(case_id),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                note TEXT NOT NULL
            );
            CREATE INDEX retention_actions_case ON retention_actions(case_id, id);
            """)
        }
        m.registerMigration("2026-11-23 sync: the outbox") { db in
            // Every RM write also leaves an op here, in the same transaction as the row and its
            // audit entry; the branch server applies each op exactly once (sync, issue 5).
            try db.execute(sql: """
            CREATE TABLE outbox (
                op_id TEXT PRIMARY KEY NOT NULL,
                hlc TEXT NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                customer_id TEXT,
                record_id TEXT,
                fields TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                result_code TEXT,
                result_reason TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX outbox_pending ON outbox(status, hlc);
            CREATE TABLE sync_state (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
        }
        m.registerMigration("2026-11-23 branch: op log, change feed, field clocks, conflicts") { db in
            // The branch side of sync (a SQLite store the server runs): each pushed op once, the
            // changes clients pull in order, the clock of every merged field, and every value a
            // concurrent write overwrote.
            try db.execute(sql: """
            CREATE TABLE op_log (
                op_id TEXT PRIMARY KEY NOT NULL,
                user_id TEXT NOT NULL,
                hlc TEXT NOT NULL,
                kind TEXT NOT NULL,
                customer_id TEXT,
                record_id TEXT,
                fields TEXT NOT NULL,
                result TEXT NOT NULL,
                code TEXT,
                reason TEXT,
                applied_at TEXT NOT NULL
            );
            CREATE TABLE change_feed (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                customer_id TEXT,
                record_id TEXT,
                payload TEXT NOT NULL,
                at TEXT NOT NULL
            );
            CREATE INDEX change_feed_customer ON change_feed(customer_id, seq);
            CREATE TABLE field_clocks (
                record TEXT NOT NULL,
                field TEXT NOT NULL,
                hlc TEXT NOT NULL,
                value TEXT,
                PRIMARY KEY (record, field)
            ) WITHOUT ROWID;
            CREATE TABLE sync_conflicts (
                id INTEGER PRIMARY KEY,
                record TEXT NOT NULL,
                field TEXT NOT NULL,
                kept_value TEXT,
                kept_hlc TEXT NOT NULL,
                lost_value TEXT,
                lost_hlc TEXT NOT NULL,
                lost_op TEXT NOT NULL,
                at TEXT NOT NULL
            );
            """)
        }
        m.registerMigration("2026-11-23 branch: users and device tokens") { db in
            // Who may sign in to the branch server (a staff member), and each device's token —
            // stored hashed, expiring, revocable.
            try db.execute(sql: """
            CREATE TABLE branch_users (
                staff_id TEXT PRIMARY KEY NOT NULL REFERENCES staff(staff_id),
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE device_tokens (
                token_hash TEXT PRIMARY KEY NOT NULL,
                staff_id TEXT NOT NULL REFERENCES branch_users(staff_id),
                device TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                revoked_at TEXT
            ) WITHOUT ROWID;
            CREATE INDEX device_tokens_staff ON device_tokens(staff_id);
            """)
        }
        m.registerMigration("2026-11-23 sync: feed authors, snapshot bookkeeping") { db in
            // A pulled change is applied by the same code as a pushed op, so the feed keeps who
            // wrote it and its clock (and from which device, which does not pull it back), and
            // whose customer it was (a pull reads only its RMs' part of the feed); a workstation notes which customers a snapshot brought, to
            // remove the ones no longer its own (reassigned) when the snapshot ends.
            try db.execute(sql: """
            ALTER TABLE change_feed ADD COLUMN op_id TEXT;
            ALTER TABLE change_feed ADD COLUMN actor TEXT;
            ALTER TABLE change_feed ADD COLUMN hlc TEXT;
            ALTER TABLE change_feed ADD COLUMN device TEXT;
            ALTER TABLE change_feed ADD COLUMN rm_id TEXT;
            CREATE INDEX change_feed_rm ON change_feed(rm_id, seq);
            CREATE TABLE snapshot_customers (customer_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
            CREATE UNIQUE INDEX sync_conflicts_once ON sync_conflicts(record, field, lost_op);
            ALTER TABLE sync_conflicts ADD COLUMN resolved_at TEXT;
            ALTER TABLE sync_conflicts ADD COLUMN resolved_by TEXT;
            """)
        }
        m.registerMigration("2026-11-23 profile correction proposals") { db in
            // Core data is the core system's: an RM's correction (a new mobile or address) waits
            // here for a lead or admin; an accepted one is carried until the extracts show it.
            try db.execute(sql: """
            CREATE TABLE profile_proposals (
                proposal_id TEXT PRIMARY KEY NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,
                field TEXT NOT NULL CHECK (field IN ('mobile', 'address')),
                old_value TEXT,
                new_value TEXT NOT NULL,
                reason TEXT,
                proposed_by TEXT NOT NULL,
                proposed_at TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
                decided_by TEXT,
                decided_at TEXT,
                decision_note TEXT,
                core TEXT CHECK (core IN ('waiting', 'in_core', 'overridden'))
            ) WITHOUT ROWID;
            CREATE INDEX profile_proposals_customer ON profile_proposals(customer_id, status);
            CREATE INDEX profile_proposals_status ON profile_proposals(status, proposed_at);
            """)
        }
        m.registerMigration("2026-11-23 campaigns and their lists") { db in
            // A campaign keeps its target as text (CampaignTarget.text) and, once built, its list:
            // every customer the target matched, kept or excluded with the reason.
            try db.execute(sql: """
            CREATE TABLE campaigns (
                campaign_id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('product_push', 'care', 'event', 'outreach')),
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL,
                owner_id TEXT NOT NULL,
                products TEXT NOT NULL DEFAULT '',
                target TEXT NOT NULL,
                service_item INTEGER,
                status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'launched', 'closed')),
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                launched_at TEXT
            ) WITHOUT ROWID;
            CREATE TABLE campaign_members (
                campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
                customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,
                rm_id TEXT,
                excluded TEXT,
                task_id TEXT,
                response TEXT,
                responded_at TEXT,
                PRIMARY KEY (campaign_id, customer_id)
            ) WITHOUT ROWID;
            CREATE INDEX campaign_members_customer ON campaign_members(customer_id);
            """)
        }
        m.registerMigration("2026-11-23 campaign conversions") { db in
            try db.execute(sql: """
            -- What later extracts show a contacted customer bought, credited to the campaign whose
            -- contact came last before it (recomputed by every attribution run).
            CREATE TABLE campaign_conversions (
                campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
                customer_id TEXT NOT NULL,
                account_id TEXT NOT NULL,
                product_code TEXT NOT NULL,
                on_day TEXT NOT NULL,
                amount_fen INTEGER NOT NULL,
                contact_day TEXT NOT NULL,
                what TEXT NOT NULL CHECK (what IN ('opened', 'purchase')),
                PRIMARY KEY (account_id, on_day, what, campaign_id)
            ) WITHOUT ROWID;
            CREATE INDEX campaign_conversions_campaign ON campaign_conversions(campaign_id);
            """)
        }
        m.registerMigration("2026-11-23 campaign events: venue, capacity, waiting list, satisfaction") { db in
            // An event's invitees who accept take a seat while there are seats, then queue on the
            // waiting list (in the order they accepted); a seat given back goes to the first in it.
            try db.execute(sql: """
            ALTER TABLE campaigns ADD COLUMN venue TEXT;
            ALTER TABLE campaigns ADD COLUMN event_at TEXT;
            ALTER TABLE campaigns ADD COLUMN capacity INTEGER;
            ALTER TABLE campaign_members ADD COLUMN seat TEXT CHECK (seat IN ('seated', 'waitlisted'));
            ALTER TABLE campaign_members ADD COLUMN seat_since TEXT;
            ALTER TABLE campaign_members ADD COLUMN satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5);
            """)
        }
        m.registerMigration("2026-11-23 prospects and outreach") { db in
            // People who are not customers yet, their stages (history kept), and the outreach days
            // that found them. A later extract's customer with the same ID number or mobile
            // converts them; a near match (same name and village) waits for the RM to confirm.
            try db.execute(sql: """
            CREATE TABLE outreach_logs (
                outreach_id TEXT PRIMARY KEY NOT NULL,
                place TEXT NOT NULL,
                on_day TEXT NOT NULL,
                staff TEXT NOT NULL,
                people_met INTEGER NOT NULL,
                note TEXT,
                created_by TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE prospects (
                prospect_id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                mobile TEXT,
                id_number TEXT,
                village TEXT,
                employer TEXT,
                source TEXT NOT NULL,
                referrer_id TEXT,
                outreach_id TEXT REFERENCES outreach_logs(outreach_id),
                interest TEXT,
                owner_id TEXT NOT NULL,
                stage TEXT NOT NULL DEFAULT 'new',
                lost_reason TEXT,
                created_at TEXT NOT NULL,
                customer_id TEXT,
                converted_at TEXT
            ) WITHOUT ROWID;
            CREATE INDEX prospects_owner ON prospects(owner_id, stage);
            CREATE INDEX prospects_mobile ON prospects(mobile) WHERE mobile IS NOT NULL;
            CREATE INDEX prospects_id_number ON prospects(id_number) WHERE id_number IS NOT NULL;
            CREATE TABLE prospect_history (
                prospect_id TEXT NOT NULL REFERENCES prospects(prospect_id) ON DELETE CASCADE,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                from_stage TEXT,
                to_stage TEXT NOT NULL,
                note TEXT
            );
            CREATE INDEX prospect_history_prospect ON prospect_history(prospect_id, at);
            CREATE TABLE prospect_matches (
                prospect_id TEXT NOT NULL REFERENCES prospects(prospect_id) ON DELETE CASCADE,
                customer_id TEXT NOT NULL,
                why TEXT NOT NULL,
                found_at TEXT NOT NULL,
                decided TEXT CHECK (decided IN ('same', 'different')),
                PRIMARY KEY (prospect_id, customer_id)
            ) WITHOUT ROWID;
            """)
        }
        m.registerMigration("2026-11-23 prospect next steps") { db in
            try db.execute(sql: """
            ALTER TABLE prospects ADD COLUMN next_step TEXT;
            ALTER TABLE prospects ADD COLUMN next_step_due TEXT;
            CREATE INDEX prospects_next_step ON prospects(owner_id, next_step_due) WHERE next_step_due IS NOT NULL;
            """)
        }
        m.registerMigration("2026-11-23 prospects sync") { db in
            // Prospects travel between workstations and the branch: a step of a prospect's
            // history, arriving again (a replayed op, a snapshot), is kept once.
            try db.execute(sql: """
            DELETE FROM prospect_history WHERE rowid NOT IN (SELECT min(rowid) FROM prospect_history GROUP BY prospect_id, at, to_stage);
            DROP INDEX prospect_history_prospect;
            CREATE UNIQUE INDEX prospect_history_step ON prospect_history(prospect_id, at, to_stage);
            """)
        }
        m.registerMigration("2026-11-23 campaign first reached") { db in
            // Attribution dates a contact from the first time the customer was reached, not only
            // the latest answer (accepted, then attended later: a purchase between counts).
            // Before this, only the latest answer was kept: it is the best first day known.
            try db.execute(sql: """
            ALTER TABLE campaign_members ADD COLUMN first_reached_at TEXT;
            UPDATE campaign_members SET first_reached_at = responded_at WHERE response IS NOT NULL AND response != 'not_reached';
            """)
        }
        m.registerMigration("2026-12-04 device sync history") { db in
            // What the branch knows of each device: how many customer moves (reassignments) it
            // had been given when it last pulled up to the head of the feed. Whether a log
            // written offline by a customer's former RM still counts is decided from this, never
            // from the client's own stamp. Moves are numbered as they happen, by a trigger.
            try db.execute(sql: """
            CREATE TABLE customer_moves (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                customer_id TEXT NOT NULL,
                from_rm TEXT NOT NULL,
                to_rm TEXT
            );
            CREATE INDEX customer_moves_customer ON customer_moves(customer_id, seq);
            CREATE TRIGGER customer_moved AFTER UPDATE OF rm_id ON customers
            WHEN old.rm_id IS NOT NULL AND old.rm_id IS NOT new.rm_id
            BEGIN
                INSERT INTO customer_moves (customer_id, from_rm, to_rm) VALUES (old.customer_id, old.rm_id, new.rm_id);
            END;
            CREATE TABLE device_sync (
                staff_id TEXT NOT NULL,
                device TEXT NOT NULL,
                moves_seen INTEGER NOT NULL,
                caught_up_at TEXT NOT NULL,
                PRIMARY KEY (staff_id, device)
            ) WITHOUT ROWID;
            """)
        }
        m.registerMigration("2026-12-04 op ids per user") { db in
            // An op id is the pushing user's: another user reusing it (by chance or to blank
            // someone's change with "duplicate") is a different op.
            try db.execute(sql: """
            CREATE TABLE op_log_by_user (
                op_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                hlc TEXT NOT NULL,
                kind TEXT NOT NULL,
                customer_id TEXT,
                record_id TEXT,
                fields TEXT NOT NULL,
                result TEXT NOT NULL,
                code TEXT,
                reason TEXT,
                applied_at TEXT NOT NULL,
                PRIMARY KEY (user_id, op_id)
            );
            INSERT INTO op_log_by_user SELECT op_id, user_id, hlc, kind, customer_id, record_id, fields, result, code, reason, applied_at FROM op_log;
            DROP TABLE op_log;
            ALTER TABLE op_log_by_user RENAME TO op_log;
            """)
        }
        m.registerMigration("2026-12-04 sign-in limits") { db in
            // Failed sign-ins per key ("name:S1", "addr:192.0.2.7", "device:…"), kept in the
            // store so that a restart clears nothing; a key past its free failures waits until
            // `blocked_until`, longer after each further failure.
            try db.execute(sql: """
            CREATE TABLE sign_in_limits (
                key TEXT PRIMARY KEY NOT NULL,
                failures INTEGER NOT NULL,
                blocked_until TEXT
            ) WITHOUT ROWID;
            """)
        }
        m.registerMigration("2026-12-04 lost devices") { db in
            // A device revoked as lost is told, at its next contact, to erase its store and
            // token; `wipe_sent_at` is when the branch told it.
            try db.execute(sql: """
            ALTER TABLE device_tokens ADD COLUMN lost INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE device_tokens ADD COLUMN wipe_sent_at TEXT;
            """)
        }
        m.registerMigration("2026-12-05 sealed personal data") { db in
            // ID numbers, mobiles and addresses sealed at rest (AppDatabase+Sealing): the plain
            // columns keep only the masked forms. `store_key` holds the data key, wrapped by a
            // key file's key or one derived from the PIN. A store that already holds customers
            // is sealed by its first unlock (which then rewrites the file without the old pages).
            try db.execute(sql: """
            ALTER TABLE customers ADD COLUMN id_sealed BLOB;
            ALTER TABLE customers ADD COLUMN mobile_sealed BLOB;
            ALTER TABLE customers ADD COLUMN address_sealed BLOB;
            CREATE TABLE store_key (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                wrap TEXT NOT NULL CHECK (wrap IN ('key', 'pin')),
                salt BLOB NOT NULL,
                rounds INTEGER NOT NULL,
                wrapped BLOB NOT NULL,
                created_at TEXT NOT NULL
            );
            INSERT INTO sync_state (key, value) SELECT 'sealing', 'pending' WHERE EXISTS (SELECT 1 FROM customers);
            """)
        }
        m.registerMigration("2026-12-06 sealed prospects, corrections and their ops") { db in
            // Prospects' mobiles and ID numbers, payroll units' contact mobiles and corrections' old and new values sealed at
            // rest like customers' (SealedFields), and so are the ops that carry them
            // (SealedOps). What a store already holds is sealed by its next unlock.
            try db.execute(sql: """
            ALTER TABLE prospects ADD COLUMN mobile_sealed BLOB;
            ALTER TABLE prospects ADD COLUMN id_sealed BLOB;
            ALTER TABLE profile_proposals ADD COLUMN old_sealed BLOB;
            ALTER TABLE profile_proposals ADD COLUMN new_sealed BLOB;
            ALTER TABLE payroll_units ADD COLUMN contact_mobile_sealed BLOB;
            INSERT OR IGNORE INTO sync_state (key, value) SELECT 'sealing', 'pending'
            WHERE EXISTS (SELECT 1 FROM prospects) OR EXISTS (SELECT 1 FROM profile_proposals)
               OR EXISTS (SELECT 1 FROM payroll_units WHERE contact_mobile IS NOT NULL)
               OR EXISTS (SELECT 1 FROM outbox WHERE kind IN ('profile.propose', 'prospect.add'))
               OR EXISTS (SELECT 1 FROM op_log WHERE kind IN ('profile.propose', 'prospect.add'));
            """)
        }
        return m
    }
}
