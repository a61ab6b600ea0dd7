-- JSON text as the Swift model writes it (CampaignModel's JSONValue encoder, CampaignTask.json,
-- HistoryEntry.json, EventData): compact, members in the API's order. Built by concatenation because
-- json/jsonb output reorders members (jsonb) or adds spaces (json_build_object).

-- A JSON string literal. to_json writes U+0008 and U+000C as \b and \f where the Swift encoder writes
-- \u0008 and \u000c; the rare strings holding them take the slow path so both stores agree byte for byte.
CREATE FUNCTION campaign_json_string(value text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    result text := '"';
    ch text;
    code integer;
BEGIN
    IF strpos(value, chr(8)) = 0 AND strpos(value, chr(12)) = 0 THEN
        RETURN to_json(value)::text;
    END IF;
    FOREACH ch IN ARRAY regexp_split_to_array(value, '') LOOP
        code := ascii(ch);
        result := result || CASE
            WHEN ch = '"' THEN E'\\"'
            WHEN ch = E'\\' THEN E'\\\\'
            WHEN code = 10 THEN E'\\n'
            WHEN code = 13 THEN E'\\r'
            WHEN code = 9 THEN E'\\t'
            WHEN code < 32 THEN E'\\u00' || lpad(to_hex(code), 2, '0')
            ELSE ch
        END;
    END LOOP;
    RETURN result || '"';
END
$$;

-- `null` or a JSON string.
CREATE FUNCTION campaign_json_nullable(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(campaign_json_string(value), 'null')
$$;

-- RFC 3339 UTC with milliseconds, e.g. 2026-11-27T08:15:00.123Z.
CREATE FUNCTION campaign_rfc3339(value timestamptz) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- A `YYYY-MM-DD` date as JSON (`null` when absent); to_char ignores the session's DateStyle.
CREATE FUNCTION campaign_json_date(value date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce('"' || to_char(value, 'YYYY-MM-DD') || '"', 'null')
$$;

-- CampaignTask.json.
CREATE FUNCTION campaign_task_json(task campaign_tasks) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT '{"id":"' || task.id
        || '","campaignId":"' || task.campaign_id
        || '","phaseId":"' || task.phase_id
        || '","title":' || campaign_json_string(task.title)
        || ',"description":' || campaign_json_string(task.description)
        || ',"status":' || campaign_json_string(task.status)
        || ',"priority":' || campaign_json_string(task.priority)
        || ',"assignee":' || campaign_json_nullable(task.assignee)
        || ',"dueDate":' || campaign_json_date(task.due_date)
        || ',"position":' || task.position
        || ',"version":' || task.version
        || ',"createdAt":"' || campaign_rfc3339(task.created_at)
        || '","updatedAt":"' || campaign_rfc3339(task.updated_at) || '"}'
$$;

-- One member of a history `changes` object: "field":{"from":…,"to":…} (values already JSON).
CREATE FUNCTION campaign_json_change(field text, from_value text, to_value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '"' || field || '":{"from":' || from_value || ',"to":' || to_value || '}'
$$;

-- HistoryEntry.changes: the fields that differ, in TaskField order, camelCase names.
CREATE FUNCTION campaign_task_changes(old campaign_tasks, new campaign_tasks) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    parts text[] := '{}';
BEGIN
    IF old.title IS DISTINCT FROM new.title THEN
        parts := parts || campaign_json_change('title', campaign_json_string(old.title), campaign_json_string(new.title));
    END IF;
    IF old.description IS DISTINCT FROM new.description THEN
        parts := parts || campaign_json_change('description',
            campaign_json_string(old.description), campaign_json_string(new.description));
    END IF;
    IF old.status IS DISTINCT FROM new.status THEN
        parts := parts || campaign_json_change('status', campaign_json_string(old.status), campaign_json_string(new.status));
    END IF;
    IF old.priority IS DISTINCT FROM new.priority THEN
        parts := parts || campaign_json_change('priority',
            campaign_json_string(old.priority), campaign_json_string(new.priority));
    END IF;
    IF old.assignee IS DISTINCT FROM new.assignee THEN
        parts := parts || campaign_json_change('assignee',
            campaign_json_nullable(old.assignee), campaign_json_nullable(new.assignee));
    END IF;
    IF old.due_date IS DISTINCT FROM new.due_date THEN
        parts := parts || campaign_json_change('dueDate', campaign_json_date(old.due_date), campaign_json_date(new.due_date));
    END IF;
    IF old.phase_id IS DISTINCT FROM new.phase_id THEN
        parts := parts || campaign_json_change('phaseId', '"' || old.phase_id || '"', '"' || new.phase_id || '"');
    END IF;
    IF old.position IS DISTINCT FROM new.position THEN
        parts := parts || campaign_json_change('position', old.position::text, new.position::text);
    END IF;
    RETURN '{' || array_to_string(parts, ',') || '}';
END
$$;

-- HistoryEntry.json; `changes` is passed as text so its member order is kept.
CREATE FUNCTION campaign_history_json(
    id uuid, campaign_id uuid, task_id uuid, action text, actor text, changes text, created_at timestamptz
) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT '{"id":"' || id
        || '","campaignId":"' || campaign_id
        || '","taskId":"' || task_id
        || '","action":' || campaign_json_string(action)
        || ',"actor":' || campaign_json_string(actor)
        || ',"changes":' || coalesce(changes, 'null')
        || ',"createdAt":"' || campaign_rfc3339(created_at) || '"}'
$$;

-- The members every event's data starts with (EventData's envelope), without the closing brace.
CREATE FUNCTION campaign_event_envelope(event_id bigint, campaign_id uuid, occurred_at timestamptz, origin text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT '{"eventId":' || event_id
        || ',"campaignId":"' || campaign_id
        || '","occurredAt":"' || campaign_rfc3339(occurred_at)
        || '","origin":' || campaign_json_nullable(origin)
$$;
