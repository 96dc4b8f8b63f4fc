// The dashboard's only script: progressive enhancement. Every form works without it.
// - [data-copy=ID] buttons copy the value of #ID to the clipboard and say so in [data-copy-status=ID].
// - form[data-confirm] asks before submitting, then posts confirmed=yes (skipping the server's confirm page).
'use strict';

function announce(id, text) {
  const status = document.querySelector(`[data-copy-status="${CSS.escape(id)}"]`);
  if (status) status.textContent = text;
}

async function copy(button) {
  const id = button.getAttribute('data-copy');
  const field = document.getElementById(id);
  if (!field) return;
  try {
    await navigator.clipboard.writeText(field.value);
    announce(id, 'Copied to the clipboard.');
  } catch {
    // No clipboard permission (or an insecure context): select the text so Ctrl+C works.
    field.focus();
    field.select();
    announce(id, 'Selected: press Ctrl+C (or Cmd+C) to copy.');
  }
}

function enhance() {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', () => void copy(button));
  }
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
        return;
      }
      if (!form.querySelector('input[name="confirmed"]')) {
        const confirmed = document.createElement('input');
        confirmed.type = 'hidden';
        confirmed.name = 'confirmed';
        confirmed.value = 'yes';
        form.appendChild(confirmed);
      }
    });
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhance);
else enhance();
