-- Every row change to campaign_tasks, whoever makes it (the API, another server instance, psql),
-- goes through these triggers: they keep positions 0..n-1 per phase, own `version` and the
-- timestamps, and record the history row, the event-log rows and a NOTIFY in the same transaction.
--
-- Locks, always taken in this order so writers on the API's paths never deadlock:
--   1. campaign_lock(campaign): per-campaign advisory lock (the API takes it before its statement;
--      the BEFORE triggers take it for any other writer). Serialises the writers of one campaign,
--      so position arithmetic sees every earlier commit.
--   2. row locks of the task and of its renumbered neighbours (all in that campaign).
--   3. campaign_event_log_lock(): one advisory lock for the whole log, taken right before event ids
--      are drawn and held to commit, so ids increase in commit order ("every id > N" is exact).
--
-- Renumbering a neighbour runs with campaign.renumbering = 'on': the triggers' WHEN clauses skip
-- those rows, so a neighbour's version, updated_at, history and events are untouched.
-- An UPDATE that changes no task field (after clamping the position) is skipped entirely:
-- no version bump, no history, no event (the statement reports 0 rows for it).

CREATE FUNCTION campaign_lock(campaign uuid) RETURNS void
LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(42001, hashtext(campaign::text))
$$;

CREATE FUNCTION campaign_event_log_lock() RETURNS void
LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(42002, 0)
$$;

-- The time a change is stamped with, truncated to what the JSON carries.
CREATE FUNCTION campaign_clock() RETURNS timestamptz
LANGUAGE sql VOLATILE AS $$
    SELECT date_trunc('milliseconds', clock_timestamp())
$$;

-- Numbers the tasks of `phase` 0..n-1 in their current order (position, then id). When `fixed` is
-- given, that task goes to `wanted` (clamped to the number of others) and the others close up around
-- it. Returns the fixed task's final position.
CREATE FUNCTION campaign_renumber_phase(phase uuid, fixed uuid, wanted integer) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    others integer;
    final integer;
BEGIN
    IF fixed IS NOT NULL THEN
        SELECT count(*) INTO others FROM campaign_tasks WHERE phase_id = phase AND id <> fixed;
        final := least(greatest(coalesce(wanted, others), 0), others);
    END IF;
    PERFORM set_config('campaign.renumbering', 'on', true);
    UPDATE campaign_tasks AS task SET position = target.position
    FROM (
        SELECT ranked.id,
               CASE WHEN final IS NOT NULL AND ranked.rank >= final THEN ranked.rank + 1 ELSE ranked.rank END AS position
        FROM (
            SELECT id, (row_number() OVER (ORDER BY position, id) - 1)::integer AS rank
            FROM campaign_tasks
            WHERE phase_id = phase AND id IS DISTINCT FROM fixed
        ) AS ranked
        UNION ALL
        SELECT fixed, final WHERE fixed IS NOT NULL
    ) AS target
    WHERE task.id = target.id AND task.position IS DISTINCT FROM target.position;
    PERFORM set_config('campaign.renumbering', 'off', true);
    RETURN final;
END
$$;

CREATE FUNCTION campaign_tasks_before_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    count_in_phase integer;
    stamp timestamptz;
BEGIN
    PERFORM campaign_lock(NEW.campaign_id);
    stamp := campaign_clock();
    SELECT count(*) INTO count_in_phase FROM campaign_tasks WHERE phase_id = NEW.phase_id;
    -- NULL = at the end; past the end is clamped like a move; a negative position fails its check.
    NEW.position := least(coalesce(NEW.position, count_in_phase), count_in_phase);
    NEW.version := 1;
    NEW.created_at := stamp;
    NEW.updated_at := stamp;
    RETURN NEW;
END
$$;

CREATE FUNCTION campaign_tasks_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    others integer;
BEGIN
    IF NEW.id <> OLD.id OR NEW.campaign_id <> OLD.campaign_id THEN
        RAISE EXCEPTION 'the id and campaign_id of a task cannot change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_tasks_identity';
    END IF;
    PERFORM campaign_lock(OLD.campaign_id);
    IF NEW.phase_id IS DISTINCT FROM OLD.phase_id OR NEW.position IS DISTINCT FROM OLD.position THEN
        SELECT count(*) INTO others FROM campaign_tasks WHERE phase_id = NEW.phase_id AND id <> OLD.id;
        NEW.position := least(coalesce(NEW.position, others), others);
    END IF;
    IF (NEW.phase_id, NEW.position, NEW.title, NEW.description, NEW.status, NEW.priority, NEW.assignee, NEW.due_date)
        IS NOT DISTINCT FROM
       (OLD.phase_id, OLD.position, OLD.title, OLD.description, OLD.status, OLD.priority, OLD.assignee, OLD.due_date)
    THEN
        RETURN NULL;
    END IF;
    -- The database owns these, whatever the statement set.
    NEW.version := OLD.version + 1;
    NEW.created_at := OLD.created_at;
    NEW.updated_at := campaign_clock();
    RETURN NEW;
END
$$;

CREATE FUNCTION campaign_tasks_before_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM campaign_lock(OLD.campaign_id);
    RETURN OLD;
END
$$;

-- Writes the history row, the task event and its history-update event, and notifies listeners.
-- `members` are the task event's own members after the envelope (JSON text, no braces).
CREATE FUNCTION campaign_record_change(
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

    PERFORM campaign_event_log_lock();
    task_event_id := nextval('campaign_events_id_seq');
    history_event_id := nextval('campaign_events_id_seq');
    INSERT INTO campaign_events (id, campaign_id, type, payload, origin, created_at) VALUES
        (task_event_id, campaign, event_type,
         campaign_event_envelope(task_event_id, campaign, stamp, origin) || ',' || members || '}', origin, stamp),
        (history_event_id, campaign, 'history-update',
         campaign_event_envelope(history_event_id, campaign, stamp, origin) || ',"entry":'
            || campaign_history_json(history_id, campaign, task_id, action, actor, changes, stamp) || '}',
         origin, stamp);

    -- A small payload only: an oversized one would abort the writer's transaction. Listeners load
    -- every event up to and including `eventId` from the log.
    PERFORM pg_notify('campaign_events', '{"campaignId":"' || campaign || '","eventId":' || history_event_id || '}');
END
$$;

CREATE FUNCTION campaign_tasks_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    task campaign_tasks;
    before campaign_tasks;
    moved boolean;
    changes text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        task := NEW;
        -- Also repairs the order when several rows of one statement landed in the same phase.
        task.position := campaign_renumber_phase(NEW.phase_id, NEW.id, NEW.position);
        PERFORM campaign_record_change(NEW.campaign_id, NEW.id, 'created', 'task-created',
            '"task":' || campaign_task_json(task), NULL, NEW.updated_at);
        RETURN NULL;
    END IF;

    IF TG_OP = 'DELETE' THEN
        -- Deleting the campaign cascades here: nothing is left to renumber or to tell.
        IF NOT EXISTS (SELECT 1 FROM campaigns WHERE id = OLD.campaign_id) THEN
            RETURN NULL;
        END IF;
        PERFORM campaign_renumber_phase(OLD.phase_id, NULL, NULL);
        PERFORM campaign_record_change(OLD.campaign_id, OLD.id, 'deleted', 'task-deleted',
            '"taskId":"' || OLD.id || '","phaseId":"' || OLD.phase_id || '"', NULL, campaign_clock());
        RETURN NULL;
    END IF;

    task := NEW;
    before := OLD;
    moved := NEW.phase_id IS DISTINCT FROM OLD.phase_id OR NEW.position IS DISTINCT FROM OLD.position;
    IF moved THEN
        IF NEW.phase_id IS DISTINCT FROM OLD.phase_id THEN
            PERFORM campaign_renumber_phase(OLD.phase_id, NULL, NULL);
        END IF;
        task.position := campaign_renumber_phase(NEW.phase_id, NEW.id, NEW.position);
        PERFORM campaign_record_change(NEW.campaign_id, NEW.id, 'moved', 'task-moved',
            '"task":' || campaign_task_json(task) || ',"fromPhaseId":"' || OLD.phase_id
                || '","toPhaseId":"' || NEW.phase_id || '"',
            campaign_task_changes(before, task), NEW.updated_at);
    ELSE
        -- Another row of the same statement may have renumbered this one since.
        SELECT position INTO task.position FROM campaign_tasks WHERE id = NEW.id;
        before.position := task.position;
        changes := campaign_task_changes(before, task);
        PERFORM campaign_record_change(NEW.campaign_id, NEW.id, 'updated', 'task-updated',
            '"task":' || campaign_task_json(task) || ',"changes":' || changes, changes, NEW.updated_at);
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE skips row triggers, so it would leave no history, no event and no notification.
CREATE FUNCTION campaign_tasks_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of campaign_tasks would bypass its history and event log; use DELETE'
        USING ERRCODE = 'feature_not_supported';
END
$$;

CREATE TRIGGER campaign_tasks_refuse_truncate BEFORE TRUNCATE ON campaign_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_tasks_refuse_truncate();

CREATE TRIGGER campaign_tasks_before_insert BEFORE INSERT ON campaign_tasks
    FOR EACH ROW EXECUTE FUNCTION campaign_tasks_before_insert();

CREATE TRIGGER campaign_tasks_before_update BEFORE UPDATE ON campaign_tasks
    FOR EACH ROW WHEN (current_setting('campaign.renumbering', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION campaign_tasks_before_update();

CREATE TRIGGER campaign_tasks_before_delete BEFORE DELETE ON campaign_tasks
    FOR EACH ROW EXECUTE FUNCTION campaign_tasks_before_delete();

CREATE TRIGGER campaign_tasks_after_insert_or_delete AFTER INSERT OR DELETE ON campaign_tasks
    FOR EACH ROW EXECUTE FUNCTION campaign_tasks_after_change();

CREATE TRIGGER campaign_tasks_after_update AFTER UPDATE ON campaign_tasks
    FOR EACH ROW WHEN (current_setting('campaign.renumbering', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION campaign_tasks_after_change();
