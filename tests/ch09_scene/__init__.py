"""What chapter 9's grader sets up and sends by itself, so that a test runs only its own
exercise's code (tests/test_ch09_extensions.py holds the fixtures and the exercises' tests):

- database.py: the grader's own way into the chapter's database, and the bcrypt hashes it stores;
- tokens.py: access tokens minted as the curriculum shapes them, and the bad ones;
- client_requests.py: the requests the tests send, good and hostile;
- checks.py: the checks several exercises share.
"""
