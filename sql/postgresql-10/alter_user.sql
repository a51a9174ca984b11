ALTER ROLE {role} WITH {options} PASSWORD {password}
