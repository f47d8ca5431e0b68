"""New complaints: e-mail parsing, registration and each step's branch and commit; Git identities."""
