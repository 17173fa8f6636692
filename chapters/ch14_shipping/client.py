"""Chapter 14 from the client's side.

`python -m track demo 14` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-14 run`), run `python -m chapters.ch14_shipping.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # --8<-- [start:hello]
    response = http.get(f"{base_url}/")
    assert response.text == "Hello from chapter 14!"
    # --8<-- [end:hello]


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
