//! Wildcard matching as IAM does it. Action names match case-insensitively, `*` standing for any
//! run of characters and `?` for one, anywhere in the name (`iam:*`, `s3:Get*Acl`, `*`).
//! Resource ARNs match case-sensitively, with wildcards inside the segments that colons
//! separate: `*` and `?` stay inside their segment, except that a `*` ending a segment may run
//! on past colons (`arn:aws:logs:*` covers every log ARN of every region). Policy variables
//! (`${aws:username}`) in a resource stand for a value known only when a request is made: a
//! resource that matches for some value of them matches only under that condition.

use crate::Tri;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `*` inside a segment: any run of characters without a colon.
    Star,
    /// `*` ending a segment or the pattern: any run of characters.
    TrailingStar,
    /// `?`: one character (not a colon, in an ARN).
    Question,
    /// A policy variable: any value.
    Variable,
}

/// Whether the action pattern of a policy covers `action` (`iam:*` covers `iam:PassRole`).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let tokens: Vec<Token> = pattern
        .chars()
        .map(|c| match c {
            '*' => Token::TrailingStar,
            '?' => Token::Question,
            c => Token::Char(c.to_ascii_lowercase()),
        })
        .collect();
    let text: Vec<char> = action.chars().map(|c| c.to_ascii_lowercase()).collect();
    matches(&tokens, &text, false)
}

/// Whether an action pattern covers every action (`*`, `*:*`).
pub fn action_covers_all(pattern: &str) -> bool {
    pattern.chars().all(|c| c == '*') || pattern.chars().all(|c| c == '*' || c == ':')
}

/// A resource pattern of a policy, read once: its wildcards and its variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePattern {
    tokens: Vec<Token>,
    text: String,
}

impl ResourcePattern {
    /// Reads `pattern`; `variables` says whether `${...}` is a policy variable, as it is in
    /// policies of version `2012-10-17` only (older ones read it as text).
    pub fn new(pattern: &str, variables: bool) -> ResourcePattern {
        let mut tokens = Vec::new();
        let mut rest = pattern;
        while let Some(c) = rest.chars().next() {
            if variables
                && rest.starts_with("${")
                && let Some(end) = rest.find('}')
            {
                let inner = &rest[2..end];
                tokens.push(match inner {
                    "*" => Token::Char('*'),
                    "?" => Token::Char('?'),
                    "$" => Token::Char('$'),
                    _ => Token::Variable,
                });
                rest = &rest[end + 1..];
                continue;
            }
            tokens.push(match c {
                '*' => Token::Star,
                '?' => Token::Question,
                c => Token::Char(c),
            });
            rest = &rest[c.len_utf8()..];
        }
        // A star that ends a segment (with the stars just before it) may run past colons.
        for i in (0..tokens.len()).rev() {
            if tokens[i] == Token::Star
                && matches!(
                    tokens.get(i + 1),
                    None | Some(Token::Char(':') | Token::TrailingStar)
                )
            {
                tokens[i] = Token::TrailingStar;
            }
        }
        ResourcePattern {
            tokens,
            text: pattern.to_owned(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern holds a policy variable.
    pub fn has_variables(&self) -> bool {
        self.tokens.contains(&Token::Variable)
    }

    /// Whether it covers `arn`: `Maybe` when it does for some value of its variables, or of
    /// the parts of `arn` marked [`ASSIGNED`].
    pub fn matches(&self, arn: &str) -> Tri {
        if arn.contains(ASSIGNED) {
            return self.matches_template(arn);
        }
        let text: Vec<char> = arn.chars().collect();
        if !matches(&self.tokens, &text, true) {
            Tri::No
        } else if self.has_variables() {
            Tri::Maybe
        } else {
            Tri::Yes
        }
    }

    /// Whether it covers every resource of the `partition` (`*`, `arn:*`, `arn:aws:*:*:*:*`).
    pub fn covers_all(&self, partition: &str) -> bool {
        if self.has_variables() {
            return false;
        }
        if self.tokens.iter().all(|t| *t == Token::TrailingStar) {
            return true;
        }
        let segments: Vec<&[Token]> = self.tokens.split(|t| *t == Token::Char(':')).collect();
        let all_stars = |segment: &[Token]| {
            !segment.is_empty() && segment.iter().all(|t| *t == Token::TrailingStar)
        };
        let literal = |segment: &[Token], text: &str| {
            let chars: Vec<char> = text.chars().collect();
            matches(segment, &chars, true)
        };
        // An ARN has six segments, the last one free to hold colons: the pattern covers them
        // all when every segment after the partition is only stars and the last one is.
        segments.len() >= 2
            && segments.len() <= 6
            && literal(segments[0], "arn")
            && (all_stars(segments[1]) || literal(segments[1], partition))
            && segments[2..].iter().all(|s| all_stars(s))
            && (segments.len() > 2 || all_stars(segments[1]))
    }
}

/// Marks a part of an ARN that AWS assigns at creation (a key's id): any value without a
/// colon.
pub const ASSIGNED: char = '\u{1}';

/// Two values an assigned part may take that differ in their first, last and every
/// character: a pattern that covers both covers any (its wildcards span the part).
const FILLINGS: [&str; 2] = ["a", "Zq9-_/x0"];

impl ResourcePattern {
    /// `Yes` when the pattern covers the ARN whatever its assigned parts are, `Maybe` when
    /// it covers it for some of them.
    fn matches_template(&self, template: &str) -> Tri {
        let every = FILLINGS.iter().all(|filling| {
            let text: Vec<char> = template.replace(ASSIGNED, filling).chars().collect();
            matches(&self.tokens, &text, true)
        });
        let some = || {
            let text: Vec<Option<char>> = template
                .chars()
                .map(|c| (c != ASSIGNED).then_some(c))
                .collect();
            intersects(&self.tokens, &text)
        };
        if every && !self.has_variables() {
            Tri::Yes
        } else if every || some() {
            Tri::Maybe
        } else {
            Tri::No
        }
    }
}

/// Whether some text matches both `tokens` and `template` (a character, or `None` for any
/// run of characters without a colon).
fn intersects(tokens: &[Token], template: &[Option<char>]) -> bool {
    let (la, lb) = (tokens.len(), template.len());
    let mut seen = vec![false; (la + 1) * (lb + 1)];
    let mut stack = vec![(0, 0)];
    while let Some((i, j)) = stack.pop() {
        if std::mem::replace(&mut seen[i * (lb + 1) + j], true) {
            continue;
        }
        if i == la && j == lb {
            return true;
        }
        let star = i < la
            && matches!(
                tokens[i],
                Token::Star | Token::TrailingStar | Token::Variable
            );
        if star {
            stack.push((i + 1, j));
        }
        match template.get(j) {
            Some(None) => {
                // The assigned part ends, or gives the next token a character of its own.
                stack.push((i, j + 1));
                let takes_one = i < la
                    && matches!(tokens[i], Token::Question | Token::Char(_))
                    && tokens[i] != Token::Char(':');
                if takes_one || star {
                    stack.push((i + 1, j));
                }
            }
            Some(Some(c)) if i < la => match tokens[i] {
                Token::Char(t) if t == *c => stack.push((i + 1, j + 1)),
                Token::Question if *c != ':' => stack.push((i + 1, j + 1)),
                Token::Star if *c != ':' => stack.push((i, j + 1)),
                Token::TrailingStar | Token::Variable => stack.push((i, j + 1)),
                _ => {}
            },
            _ => {}
        }
    }
    false
}

/// Whether `tokens` match the whole of `text`; `arn` keeps `Star` and `Question` off colons.
fn matches(tokens: &[Token], text: &[char], arn: bool) -> bool {
    // reach[j]: the tokens read so far match text[..j].
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for token in tokens {
        let mut next = vec![false; text.len() + 1];
        match *token {
            Token::Char(c) => {
                for j in 0..text.len() {
                    next[j + 1] = reach[j] && text[j] == c;
                }
            }
            Token::Question => {
                for j in 0..text.len() {
                    next[j + 1] = reach[j] && !(arn && text[j] == ':');
                }
            }
            Token::TrailingStar | Token::Variable => {
                let mut on = false;
                for j in 0..=text.len() {
                    on |= reach[j];
                    next[j] = on;
                }
            }
            Token::Star => {
                let mut on = false;
                for j in 0..=text.len() {
                    if j > 0 && text[j - 1] == ':' {
                        on = false;
                    }
                    on |= reach[j];
                    next[j] = on;
                }
            }
        }
        reach = next;
        if !reach.contains(&true) {
            return false;
        }
    }
    reach[text.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_match_without_case_with_wildcards_anywhere() {
        assert!(action_matches("iam:*", "iam:PassRole"));
        assert!(action_matches("IAM:passrole", "iam:PassRole"));
        assert!(action_matches("iam:Pass*", "iam:PassRole"));
        assert!(action_matches("iam:*Role", "iam:PassRole"));
        assert!(action_matches("iam:P*R?le", "iam:PassRole"));
        assert!(action_matches("*", "s3:GetObject"));
        assert!(action_matches("s3:Get*Acl", "s3:GetObjectAcl"));
        assert!(!action_matches("s3:Get*Acl", "s3:GetObject"));
        assert!(!action_matches("iam:Pass", "iam:PassRole"));
        assert!(!action_matches("iam:PassRole?", "iam:PassRole"));
        assert!(!action_matches("iam:*", "iam2:PassRole"));
    }

    #[test]
    fn arns_match_with_case_within_segments() {
        let yes = |p: &str, arn: &str| ResourcePattern::new(p, true).matches(arn) == Tri::Yes;
        assert!(yes("*", "arn:aws:s3:::bucket/key"));
        assert!(yes("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c"));
        assert!(!yes("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/a"));
        assert!(yes(
            "arn:aws:iam::*:user/*",
            "arn:aws:iam::123456789012:user/bob"
        ));
        assert!(!yes(
            "arn:aws:iam::123456789012:user/Bob",
            "arn:aws:iam::123456789012:user/bob"
        ));
        // A star inside a segment stays inside it; one that ends a segment runs on.
        assert!(!yes(
            "arn:aws:sqs:us-*-1:123:q",
            "arn:aws:sqs:us-east:x-1:123:q"
        ));
        assert!(yes(
            "arn:aws:sqs:us-*-1:123:q",
            "arn:aws:sqs:us-east-1:123:q"
        ));
        assert!(yes(
            "arn:aws:logs:*",
            "arn:aws:logs:eu-west-1:123:log-group:x:*"
        ));
        assert!(yes(
            "arn:aws:lambda:*:*:function:f",
            "arn:aws:lambda:eu-west-1:1:function:f"
        ));
        assert!(!yes("arn:aws:sqs:*:1?3:q", "arn:aws:sqs:eu:1:3:q"));
        assert!(yes("arn:aws:sqs:*:1?3:q", "arn:aws:sqs:eu:123:q"));
    }

    #[test]
    fn policy_variables_match_only_under_a_condition() {
        let p = ResourcePattern::new("arn:aws:iam::1:user/${aws:username}", true);
        assert_eq!(p.matches("arn:aws:iam::1:user/alice"), Tri::Maybe);
        assert_eq!(p.matches("arn:aws:iam::2:user/alice"), Tri::No);
        // Escapes are text, and before version 2012-10-17 so is every `${...}`.
        let escaped = ResourcePattern::new("arn:aws:s3:::b/${*}", true);
        assert_eq!(escaped.matches("arn:aws:s3:::b/*"), Tri::Yes);
        assert_eq!(escaped.matches("arn:aws:s3:::b/x"), Tri::No);
        let old = ResourcePattern::new("arn:aws:iam::1:user/${aws:username}", false);
        assert_eq!(old.matches("arn:aws:iam::1:user/${aws:username}"), Tri::Yes);
        assert_eq!(old.matches("arn:aws:iam::1:user/alice"), Tri::No);
    }

    #[test]
    fn parts_aws_assigns_match_wildcards_surely_and_literals_maybe() {
        let key = format!("arn:aws:kms:eu-west-1:123456789012:key/{ASSIGNED}");
        let tri = |p: &str| ResourcePattern::new(p, true).matches(&key);
        assert_eq!(tri("*"), Tri::Yes);
        assert_eq!(tri("arn:aws:kms:*:*:key/*"), Tri::Yes);
        assert_eq!(
            tri("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab"),
            Tri::Maybe
        );
        assert_eq!(tri("arn:aws:kms:eu-west-1:123456789012:key/1*"), Tri::Maybe);
        assert_eq!(tri("arn:aws:kms:eu-west-1:123456789012:alias/*"), Tri::No);
        assert_eq!(tri("arn:aws:kms:us-east-1:*:key/*"), Tri::No);
        assert_eq!(tri("arn:aws:kms:eu-west-1:123456789012:key/a:b"), Tri::No);
    }

    #[test]
    fn patterns_that_cover_every_resource() {
        for p in [
            "*",
            "**",
            "arn:*",
            "arn:aws:*",
            "arn:aws:*:*:*:*",
            "arn:*:*:*:*:*",
        ] {
            assert!(ResourcePattern::new(p, true).covers_all("aws"), "{p}");
        }
        for p in [
            "arn:aws-cn:*",
            "arn:aws:s3:::*",
            "arn:aws:*:*:*:*:*",
            "arn:aws:*:us-east-1:*:*",
            "${aws:username}",
        ] {
            assert!(!ResourcePattern::new(p, true).covers_all("aws"), "{p}");
        }
        assert!(action_covers_all("*"));
        assert!(action_covers_all("*:*"));
        assert!(!action_covers_all("iam:*"));
    }
}
