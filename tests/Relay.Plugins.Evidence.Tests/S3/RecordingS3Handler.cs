using System.Collections.Concurrent;
using System.Net;

namespace Relay.Plugins.Evidence.Tests.S3;

/// <summary>
/// Sits between the S3 store and s3rver: records every request's method, URL and headers, can answer
/// a request itself (what s3rver does not implement, such as PUT ?legal-hold), and can fail chosen
/// requests as a network fault would.
/// </summary>
internal sealed class RecordingS3Handler() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<RecordedS3Request> Requests { get; } = new();

    /// <summary>Returns a response to answer a request without s3rver, or null to pass it on.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Answer { get; set; }

    /// <summary>Whether to fail the request with an <see cref="HttpRequestException"/> (connection reset).</summary>
    public Func<HttpRequestMessage, bool>? Fail { get; set; }

    public RecordedS3Request[] Matching(HttpMethod method, string queryContains = "") =>
        [.. Requests.Where(r => r.Method == method && r.Uri.Query.Contains(queryContains, StringComparison.Ordinal))];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }
        }

        string? body = null;
        if (request.RequestUri!.Query.Contains("legal-hold", StringComparison.Ordinal) && request.Content is not null)
        {
            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        Requests.Enqueue(new RecordedS3Request(request.Method, request.RequestUri, headers, body));
        if (Fail?.Invoke(request) == true)
        {
            throw new HttpRequestException("Connection reset by the test", new IOException("reset"), HttpStatusCode.ServiceUnavailable);
        }

        HttpResponseMessage? answer = Answer?.Invoke(request);
        return answer ?? await base.SendAsync(request, cancellationToken);
    }
}

internal sealed record RecordedS3Request(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);
