-- A task create no longer counts the campaign's tasks. Before, each create counted them for the
-- MAX_TASKS_PER_CAMPAIGN check (up to 10,000 index entries): a cost that grew with the campaign, about
-- 110 µs per create at 800 tasks, the largest single share of a create in PostgreSQL.
--
-- campaign_task_counts holds each campaign's number of tasks, kept by a trigger on every insert and
-- delete, whoever writes (each runs under the campaign's lock, so the count is exact for the next
-- writer of the campaign). A campaign without a row has no tasks.

CREATE TABLE campaign_task_counts (
    campaign_id uuid PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    tasks       integer NOT NULL CHECK (tasks >= 0)
);

-- No task write between the count below and the trigger that keeps it from now on.
LOCK TABLE campaign_tasks IN SHARE MODE;
INSERT INTO campaign_task_counts (campaign_id, tasks)
SELECT campaign_id, count(*) FROM campaign_tasks GROUP BY campaign_id;

CREATE FUNCTION campaign_tasks_count_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO campaign_task_counts (campaign_id, tasks) VALUES (NEW.campaign_id, 1)
        ON CONFLICT (campaign_id) DO UPDATE SET tasks = campaign_task_counts.tasks + 1;
    ELSE
        -- When the campaign itself is being deleted, its row goes with it (or has gone): 0 rows here.
        UPDATE campaign_task_counts SET tasks = tasks - 1 WHERE campaign_id = OLD.campaign_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER campaign_tasks_count_change AFTER INSERT OR DELETE ON campaign_tasks
    FOR EACH ROW EXECUTE FUNCTION campaign_tasks_count_change();
