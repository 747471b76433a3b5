using System.Net;

namespace Relay.Server.Auth;

/// <summary>
/// The sign-in page at <c>GET /login</c>: a labelled form that posts JSON to /api/login and then
/// opens the page the person was sent from. Minimal on purpose: the portal replaces it.
/// </summary>
internal static class LoginPage
{
    /// <summary>Where to go after signing in: only a path on this site, so the page cannot be used to send people elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";

    public static string Render(string? returnUrl)
    {
        string target = WebUtility.HtmlEncode(SafeReturnUrl(returnUrl));
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in - Relay</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
            label { display: block; margin-top: 1rem; font-weight: 600; }
            input { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
            button { margin-top: 1.5rem; padding: .6rem 1.2rem; font-size: 1rem; }
            #error { color: #a00000; font-weight: 600; }
            :focus-visible { outline: 3px solid #1d70b8; outline-offset: 2px; }
            </style>
            </head>
            <body>
            <main>
            <h1>Sign in to Relay</h1>
            <form id="login" data-return="{{target}}" novalidate>
            <p id="error" role="alert" aria-live="assertive"></p>
            <label for="username">User name</label>
            <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            <noscript><p>This page needs JavaScript to sign in.</p></noscript>
            </main>
            <script>
            const form = document.getElementById('login');
            const error = document.getElementById('error');
            const button = form.querySelector('button[type=submit]');
            // Set when the password was a temporary one from a reset: the form then asks for a new one.
            let choose = null;
            function askForNewPassword(detail) {
              choose = document.createElement('div');
              choose.innerHTML = '<p id="choose-hint"></p>'
                + '<label for="new-password">New password</label><input id="new-password" type="password" autocomplete="new-password" aria-describedby="choose-hint" required>'
                + '<label for="confirm-password">New password again</label><input id="confirm-password" type="password" autocomplete="new-password" required>';
              choose.querySelector('#choose-hint').textContent = detail.replace(/: POST .*$/, '.');
              form.password.readOnly = true;
              form.insertBefore(choose, button);
              button.textContent = 'Set the new password and sign in';
              document.getElementById('new-password').focus();
            }
            async function post(path, body) {
              const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
              const problem = response.ok ? null : await response.json().catch(() => ({}));
              return { response, problem };
            }
            form.addEventListener('submit', async (event) => {
              event.preventDefault();
              error.textContent = '';
              try {
                if (choose) {
                  const chosen = document.getElementById('new-password');
                  if (chosen.value !== document.getElementById('confirm-password').value) {
                    error.textContent = 'The two new passwords are not the same. Type the new password twice.';
                    chosen.focus();
                    return;
                  }
                  const { response, problem } = await post('/api/login/password', { username: form.username.value, password: form.password.value, newPassword: chosen.value });
                  if (response.ok) { location.assign(form.dataset.return); return; }
                  error.textContent = problem.detail || 'The password could not be changed. Try again.';
                  chosen.focus();
                  return;
                }
                const { response, problem } = await post('/api/login', { username: form.username.value, password: form.password.value });
                if (response.ok) { location.assign(form.dataset.return); return; }
                if (response.status === 403 && problem.title === '{{SignInEndpoints.PasswordChangeRequiredTitle}}') {
                  askForNewPassword(problem.detail || 'Choose a new password.');
                  return;
                }
                error.textContent = problem.detail || 'Signing in failed. Try again.';
              } catch {
                error.textContent = 'The relay could not be reached. Check the connection and try again.';
              }
              if (!choose) {
                form.password.value = '';
                form.password.focus();
              }
            });
            </script>
            </body>
            </html>
            """;
    }

    /// <summary>A plain page with one message (a refusal for a browser).</summary>
    public static string Message(string title, string text) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{WebUtility.HtmlEncode(title)}} - Relay</title></head>
        <body><main><h1>{{WebUtility.HtmlEncode(title)}}</h1><p>{{WebUtility.HtmlEncode(text)}}</p><p><a href="/login">Sign in as someone else</a></p></main></body>
        </html>
        """;
}
