-- Event ids are ordered per campaign, no longer across the whole log, and the audit trail has no
-- switch a writer can set.
--
-- 1. No global lock. Before, every change took campaign_event_log_lock() (one advisory lock for the
--    whole log) before drawing its event ids and held it to commit: a transaction left open in psql
--    after one UPDATE made every writer of every campaign wait. Now the ids are drawn under the
--    campaign's own lock, campaign_lock(campaign), held from the BEFORE trigger (or the API's first
--    statement) to commit. So ids increase in commit order WITHIN a campaign, which is all the rooms
--    (each reads its own campaign's log after its own cursor) and the per-campaign pruning watermark
--    (campaign_event_retention.pruned_through) rely on. Across campaigns a smaller id may commit after
--    a larger one. Locks, in the order the API's writers take them: campaign_lock(campaign), then the
--    row locks of the task and its renumbered neighbours (all in that campaign).
--
-- 2. The notification names the campaign and the newest id only: listeners treat it as a hint and read
--    the log themselves (a payload may be forged by any role), so the events carried since 0005 were
--    never used, only made every NOTIFY larger.
--
-- 3. Renumbered neighbours skip the triggers only when the renumbering UPDATE runs inside a trigger
--    (pg_trigger_depth() > 0), that is, from campaign_renumber_phase called by the AFTER trigger.
--    Before, `SET LOCAL campaign.renumbering = 'on'` alone let any SQL writer change tasks with no
--    version bump, history, event or notification.

CREATE OR REPLACE FUNCTION campaign_record_change(
    campaign uuid, task_id uuid, action text, event_type text, members text, changes text, stamp timestamptz
) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    actor text := coalesce(nullif(current_setting('app.actor', true), ''), 'database');
    origin text := nullif(current_setting('app.origin', true), '');
    history_id uuid := gen_random_uuid();
    task_event_id bigint;
    history_event_id bigint;
BEGIN
    INSERT INTO campaign_task_history (id, campaign_id, task_id, action, actor, changes, created_at)
    VALUES (history_id, campaign, task_id, action, actor, changes::jsonb, stamp);

    -- Already held since the BEFORE trigger; taken again here so that the ids below are drawn under it
    -- whatever path led here (an advisory lock taken twice is still released only at commit).
    PERFORM campaign_lock(campaign);
    task_event_id := nextval('campaign_events_id_seq');
    history_event_id := nextval('campaign_events_id_seq');
    INSERT INTO campaign_events (id, campaign_id, type, payload, origin, created_at) VALUES
        (task_event_id, campaign, event_type,
         campaign_event_envelope(task_event_id, campaign, stamp, origin) || ',' || members || '}', origin, stamp),
        (history_event_id, campaign, 'history-update',
         campaign_event_envelope(history_event_id, campaign, stamp, origin) || ',"entry":'
            || campaign_history_json(history_id, campaign, task_id, action, actor, changes, stamp) || '}',
         origin, stamp);

    PERFORM pg_notify('campaign_events', '{"campaignId":"' || campaign || '","eventId":' || history_event_id || '}');
END
$$;

DROP FUNCTION campaign_event_log_lock();

-- The WHEN clauses of 0003 read a session setting any writer may set; the setting now counts only
-- inside a trigger, where campaign_renumber_phase sets it around its own UPDATE.
DROP TRIGGER campaign_tasks_before_update ON campaign_tasks;
CREATE TRIGGER campaign_tasks_before_update BEFORE UPDATE ON campaign_tasks
    FOR EACH ROW WHEN (pg_trigger_depth() = 0 OR current_setting('campaign.renumbering', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION campaign_tasks_before_update();

DROP TRIGGER campaign_tasks_after_update ON campaign_tasks;
CREATE TRIGGER campaign_tasks_after_update AFTER UPDATE ON campaign_tasks
    FOR EACH ROW WHEN (pg_trigger_depth() = 0 OR current_setting('campaign.renumbering', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION campaign_tasks_after_change();
