/**
 * campaign-react.js — `useCampaignExecution`, the React hook over campaign-client.js, served at
 * /client/campaign-react.js (types: campaign-react.d.ts). docs/CLIENT.md, "React".
 *
 * The module does not import React itself (a browser without a bundler cannot resolve "react"):
 * bind it once to the React your page uses.
 *
 *   import * as React from "react";                        // or window.React from a <script> build
 *   import { bindCampaignHooks } from "/client/campaign-react.js";
 *   export const { useCampaignExecution } = bindCampaignHooks(React);
 *
 *   function Board({ campaignId }) {
 *     const { state, pending, createTask, moveTask } = useCampaignExecution({ baseUrl: "/api", campaignId, token });
 *     …
 *   }
 *
 * One CampaignClient per (baseUrl, campaignId): made on first render, started by an effect and
 * stopped when the component unmounts or the campaign changes. The state comes through
 * useSyncExternalStore, so every render sees one consistent, immutable state (the client makes a new
 * frozen object on every change and none otherwise). `token`, `getToken`, `onAuthExpiring` and
 * `fetchImpl` are read at the time they are needed, so passing new functions on every render does
 * not rebuild the client.
 */

import { CampaignClient } from "./campaign-client.js";

export function bindCampaignHooks(React) {
  const { useEffect, useMemo, useRef, useSyncExternalStore } = React ?? {};
  if (typeof useSyncExternalStore !== "function") {
    throw new TypeError("bindCampaignHooks: needs a React with useSyncExternalStore (React 18 or later)");
  }

  function useCampaignExecution(options) {
    const { baseUrl, campaignId } = options;
    const latest = useRef(options);
    latest.current = options;

    const client = useMemo(
      () =>
        new CampaignClient({
          baseUrl,
          campaignId,
          token: () => {
            const { token } = latest.current;
            return typeof token === "function" ? token() : token;
          },
          getToken: () => latest.current.getToken?.(),
          onAuthExpiring: () => latest.current.onAuthExpiring?.(),
          fetchImpl: (...args) => (latest.current.fetchImpl ? latest.current.fetchImpl(...args) : globalThis.fetch(...args)),
        }),
      [baseUrl, campaignId],
    );

    const store = useMemo(
      () => ({
        subscribe: (onChange) => client.subscribe(onChange),
        getSnapshot: () => client.state,
      }),
      [client],
    );
    const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);

    useEffect(() => {
      // A refusal shows as state.connection "offline" with state.streamError: nothing to catch here.
      client.start().catch(() => {});
      return () => client.stop();
    }, [client]);

    const writes = useMemo(
      () => ({
        createTask: (fields) => client.createTask(fields),
        updateTask: (taskId, changes, updateOptions) => client.updateTask(taskId, changes, updateOptions),
        moveTask: (taskId, phaseId, position) => client.moveTask(taskId, phaseId, position),
        deleteTask: (taskId) => client.deleteTask(taskId),
        reconnect: () => client.start(),
      }),
      [client],
    );

    return {
      state,
      campaign: state.campaign,
      phases: state.phases,
      tasks: state.tasks,
      history: state.history,
      connection: state.connection,
      pending: state.pending,
      error: state.error,
      streamError: state.streamError,
      ...writes,
      client,
    };
  }

  return Object.freeze({ useCampaignExecution });
}
