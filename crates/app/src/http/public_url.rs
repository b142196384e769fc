//! Where links the server writes (the list `Link` header) point. Relative by default; absolute
//! from `HUB_PUBLIC_URL` when set; from `X-Forwarded-Proto`/`-Host` only when the connection
//! comes from one of `HUB_TRUSTED_PROXIES` and the forwarded values are a plain scheme and
//! host. A client can never make the server write a `javascript:` or foreign-host link.

use actix_web::HttpRequest;
use ipnet::IpNet;
use std::net::IpAddr;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkBase {
    /// `https://hub.example.com` or `https://example.com/hub`, no trailing slash.
    public_url: Option<String>,
    trusted_proxies: Vec<IpNet>,
}

impl LinkBase {
    /// From the settings' texts; an invalid value is a start-up error naming the setting.
    pub fn parse(public_url: Option<&str>, trusted_proxies: Option<&str>) -> Result<Self, String> {
        let public_url = public_url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| {
                let rest = u
                    .strip_prefix("https://")
                    .or_else(|| u.strip_prefix("http://"))
                    .ok_or_else(|| {
                        format!("HUB_PUBLIC_URL {u:?}: must start with http:// or https://")
                    })?;
                let host = rest.split('/').next().unwrap_or_default();
                if !is_plain_host(host) || u.contains(['?', '#']) {
                    return Err(format!(
                        "HUB_PUBLIC_URL {u:?}: must be scheme://host[:port][/path]"
                    ));
                }
                Ok(u.trim_end_matches('/').to_owned())
            })
            .transpose()?;
        let trusted_proxies = trusted_proxies
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<IpNet>()
                    .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("HUB_TRUSTED_PROXIES: {p:?} is not an IP address or CIDR"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            public_url,
            trusted_proxies,
        })
    }

    /// The scheme, host and any prefix to put before `req`'s path; empty for relative links.
    pub fn origin(&self, req: &HttpRequest) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let trusted = req.peer_addr().is_some_and(|peer| {
            self.trusted_proxies
                .iter()
                .any(|net| net.contains(&peer.ip()))
        });
        if !trusted {
            return String::new();
        }
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(',').next().unwrap_or_default().trim().to_owned())
        };
        match (header("x-forwarded-proto"), header("x-forwarded-host")) {
            (Some(proto), Some(host))
                if matches!(proto.as_str(), "http" | "https") && is_plain_host(&host) =>
            {
                format!("{proto}://{host}")
            }
            _ => String::new(),
        }
    }
}

/// `name[:port]` of letters, digits, dots and hyphens, or a bracketed IPv6 address.
fn is_plain_host(host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') || name.ends_with(']') => (name, Some(port)),
        _ => (host, None),
    };
    let name_ok = if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        v6.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        !name.is_empty()
            && name.len() <= 253
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    name_ok && port_ok
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn forwarded(peer: &str, proto: &str) -> HttpRequest {
        TestRequest::default()
            .peer_addr(peer.parse().unwrap())
            .insert_header(("X-Forwarded-Proto", proto))
            .insert_header(("X-Forwarded-Host", "hub.example.com"))
            .to_http_request()
    }

    #[test]
    fn links_are_relative_unless_configured() {
        let base = LinkBase::default();
        assert_eq!(base.origin(&forwarded("10.0.0.1:4000", "https")), "");
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies_and_only_when_plain() {
        let base = LinkBase::parse(None, Some("10.0.0.0/8, ::1")).unwrap();
        assert_eq!(
            base.origin(&forwarded("10.1.2.3:4000", "https")),
            "https://hub.example.com"
        );
        assert_eq!(base.origin(&forwarded("192.168.1.1:4000", "https")), "");
        assert_eq!(base.origin(&forwarded("10.1.2.3:4000", "javascript")), "");
    }

    #[test]
    fn the_public_url_wins_and_is_checked() {
        let base = LinkBase::parse(Some("https://hub.example.com/x/"), None).unwrap();
        assert_eq!(
            base.origin(&forwarded("10.1.2.3:4000", "http")),
            "https://hub.example.com/x"
        );
        assert!(LinkBase::parse(Some("javascript://x"), None).is_err());
        assert!(LinkBase::parse(Some("https://a b"), None).is_err());
        assert!(LinkBase::parse(None, Some("not-an-ip")).is_err());
    }
}
