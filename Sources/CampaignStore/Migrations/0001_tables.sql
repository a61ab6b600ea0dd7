-- Campaigns, phases, tasks, the task history and the event log.
-- Check constraints mirror the API's validation, so a writer in psql cannot store what the API forbids.

CREATE TABLE campaigns (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
);

CREATE TABLE campaign_phases (
    id          uuid PRIMARY KEY,
    campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    position    integer NOT NULL CHECK (position >= 0),
    UNIQUE (campaign_id, position),
    -- The target of the tasks' composite key: a task's phase always belongs to the task's campaign.
    UNIQUE (campaign_id, id)
);

CREATE TABLE campaign_tasks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    phase_id    uuid NOT NULL,
    -- Trimmed of Unicode White_Space, as the API stores it.
    title       text NOT NULL CHECK (
                    char_length(title) BETWEEN 1 AND 200
                    AND title = btrim(title, E'\u0020\u0009\u000a\u000b\u000c\u000d\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000')),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 10000),
    status      text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'blocked', 'done')),
    priority    text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    assignee    text CHECK (char_length(assignee) <= 100),
    due_date    date CHECK (due_date BETWEEN DATE '0001-01-01' AND DATE '9999-12-31'),
    -- NULL on insert means "at the end of the phase"; the triggers always store a number.
    position    integer NOT NULL CHECK (position >= 0),
    version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
    updated_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
    FOREIGN KEY (campaign_id, phase_id) REFERENCES campaign_phases (campaign_id, id),
    -- Deferred: a renumbering statement passes through duplicates; at commit positions are unique.
    CONSTRAINT campaign_tasks_phase_position_key UNIQUE (phase_id, position) DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX campaign_tasks_campaign_idx ON campaign_tasks (campaign_id);

-- No foreign key to the task: the history of a deleted task outlives it.
CREATE TABLE campaign_task_history (
    id          uuid PRIMARY KEY,
    campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    task_id     uuid NOT NULL,
    action      text NOT NULL CHECK (action IN ('created', 'updated', 'moved', 'deleted')),
    actor       text NOT NULL,
    changes     jsonb,
    created_at  timestamptz NOT NULL,
    -- Insertion order; writes to one campaign are serialised, so per campaign this is commit order
    -- (created_at alone ties within a millisecond).
    seq         bigint GENERATED ALWAYS AS IDENTITY
);

CREATE INDEX campaign_task_history_campaign_idx ON campaign_task_history (campaign_id, seq DESC);
-- An idempotent create looks up whether its id ever belonged to a task (then deleted).
CREATE INDEX campaign_task_history_task_idx ON campaign_task_history (task_id);

-- The event log: `payload` is the event's `data` JSON exactly as the SSE `data:` line carries it.
-- Ids increase in commit order (the triggers hold an advisory lock from the insert to the commit).
CREATE TABLE campaign_events (
    id          bigserial PRIMARY KEY,
    campaign_id uuid NOT NULL,
    type        text NOT NULL CHECK (type IN ('task-created', 'task-updated', 'task-moved', 'task-deleted', 'history-update')),
    payload     text NOT NULL,
    origin      text,
    created_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
);

CREATE INDEX campaign_events_campaign_idx ON campaign_events (campaign_id, id);

-- Per campaign, the highest event id pruned from the log: a replay from below it is incomplete,
-- and a snapshot of a campaign whose events were all pruned reports it as `lastEventId`.
CREATE TABLE campaign_event_retention (
    campaign_id    uuid PRIMARY KEY,
    pruned_through bigint NOT NULL CHECK (pruned_through >= 0)
);
