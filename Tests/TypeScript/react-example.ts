// A typed use of campaign-react.js (checked with example.ts). React's own types are not needed:
// the hook module declares the part of React it uses, which React 18's hooks satisfy.

import { bindCampaignHooks, type CampaignExecution, type ReactHooks } from "../../Sources/CampaignServer/Resources/campaign-react.js";

declare const React: ReactHooks;

const { useCampaignExecution } = bindCampaignHooks(React);

export function useBoard(campaignId: string, token: string): string {
  const execution: CampaignExecution = useCampaignExecution({ baseUrl: "/api", campaignId, token });
  const first = execution.tasks[0];
  if (first && !execution.pending.includes(first.id)) {
    void execution.moveTask(first.id, first.phaseId, 1).catch((error: { status: number }) => error.status);
  }
  // @ts-expect-error: baseUrl is required
  useCampaignExecution({ campaignId, token });
  return `${execution.connection} ${execution.tasks.length} ${execution.error?.message ?? ""}`;
}
