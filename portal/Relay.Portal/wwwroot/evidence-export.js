// The Evidence page's "Export bundle": POST /api/evidence/{id}/export with the person's own sign-in
// cookie (the same endpoint, checks and audit as the API), then hand the zip to the browser as a download.
window.relayEvidence = {
    exportBundle: async function (id, reason, recipient) {
        const body = recipient ? { reason: reason, recipient: recipient } : { reason: reason };
        const response = await fetch('/api/evidence/' + encodeURIComponent(id) + '/export', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body)
        });
        if (!response.ok) {
            let detail = response.statusText;
            try { detail = (await response.json()).detail || detail; } catch { /* not problem+json */ }
            return 'The export was refused (' + response.status + '): ' + detail;
        }

        const blob = await response.blob();
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = 'evidence-' + id + '.zip';
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        return null;
    }
};
