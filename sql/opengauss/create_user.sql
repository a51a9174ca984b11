-- bootstrap.users: {options} are the configured role options, upper-cased and checked by HAS.
CREATE ROLE {role} WITH {options} PASSWORD {password}
