-- A task added at the end of its phase (every create through the API, most moves to another phase)
-- no longer renumbers the whole phase. Before, each such insert ranked every task of the phase with a
-- window function and sorted them, only to change nothing: creates slowed down as a phase grew.
--
-- The shortcut is taken only when it changes nothing: the fixed task sits at `final`, which equals the
-- number of other tasks, and no other task is at `final` or after it. The others then hold `final`
-- distinct positions below `final` (positions are non-negative; duplicates exist only inside a
-- statement that placed a row in the middle, and that row's own call takes the full path and renumbers
-- the phase), so they are 0..final-1 already. Every other case takes the full renumbering as before.

CREATE OR REPLACE FUNCTION campaign_renumber_phase(phase uuid, fixed uuid, wanted integer) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    others integer;
    final integer;
BEGIN
    IF fixed IS NOT NULL THEN
        SELECT count(*) INTO others FROM campaign_tasks WHERE phase_id = phase AND id <> fixed;
        final := least(greatest(coalesce(wanted, others), 0), others);
        IF final = others
           AND EXISTS (SELECT 1 FROM campaign_tasks WHERE id = fixed AND phase_id = phase AND position = final)
           AND NOT EXISTS (SELECT 1 FROM campaign_tasks WHERE phase_id = phase AND id <> fixed AND position >= final)
        THEN
            RETURN final;
        END IF;
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
