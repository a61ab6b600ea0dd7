// The campaign picker: the campaigns the token may read, and (for admins) a form to create one.

import { h } from "./dom.js";
import { formatTime } from "./labels.js";

export function createCampaignsView({ list, message, form, nameInput }, { onOpen, onCreate }) {
  list.addEventListener("click", (event) => {
    const option = event.target instanceof Element ? event.target.closest('[data-testid="campaign-option"]') : null;
    if (option) onOpen(option.dataset.campaignId);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) {
      nameInput.focus();
      return;
    }
    onCreate(name);
  });

  function showLoading() {
    list.replaceChildren();
    message.textContent = "Loading campaigns…";
    message.hidden = false;
  }

  function showCampaigns(campaigns) {
    const sorted = [...campaigns].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    list.replaceChildren(
      ...sorted.map((campaign) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "campaign-option",
              "data-testid": "campaign-option",
              dataset: { campaignId: campaign.id },
              "aria-label": `Open campaign ${campaign.name}`,
            },
            h("span", { class: "campaign-option-name" }, campaign.name),
            h("time", { class: "campaign-option-date", datetime: campaign.createdAt }, `created ${formatTime(campaign.createdAt)}`),
          ),
        ),
      ),
    );
    message.textContent = sorted.length ? "" : "No campaigns yet.";
    message.hidden = sorted.length > 0;
  }

  function showFailure(text) {
    list.replaceChildren();
    message.textContent = text;
    message.hidden = false;
  }

  function setCanCreate(canCreate) {
    form.hidden = !canCreate;
  }

  return { showLoading, showCampaigns, showFailure, setCanCreate };
}
