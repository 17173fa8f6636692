"""Chapter 13 from the client's side.

`python -m track demo 13` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-13 run`), run `python -m chapters.ch13_templates_forms.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # --8<-- [start:hello]
    response = http.get(f"{base_url}/")
    assert response.text == "Hello from chapter 13!"
    # --8<-- [end:hello]


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
