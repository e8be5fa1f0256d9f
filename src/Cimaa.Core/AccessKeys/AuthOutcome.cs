namespace Cimaa.AccessKeys;

/// <summary>
/// The result of checking a request's signature. Reasons say which rule failed, never why a signature differed, and never
/// contain a secret or a header's value.
/// </summary>
public abstract record AuthOutcome
{
    private AuthOutcome() { }

    /// <summary>The HTTP status of a refusal; 200 for <see cref="Ok"/>.</summary>
    public abstract int StatusCode { get; }

    /// <summary>The signature is valid for an active key.</summary>
    public sealed record Ok(string KeyId, PermissionSet Permissions) : AuthOutcome
    {
        public override int StatusCode => 200;
    }

    /// <summary>401: the signature is missing or cannot be parsed.</summary>
    public sealed record Unauthenticated(string Reason) : AuthOutcome
    {
        public override int StatusCode => 401;
    }

    /// <summary>
    /// 403: a well-formed signature that is refused (unknown or inactive key, clock skew, wrong scope, body hash or signature).
    /// KeyId is the key named by the request when it is of the id's shape, for the request log.
    /// </summary>
    public sealed record Forbidden(string Reason, string? KeyId) : AuthOutcome
    {
        public override int StatusCode => 403;
    }
}
