"""The shapes of what the API takes and answers: ``components.schemas`` of its OpenAPI document.

The limits are read from where the code holds them (the model fields, ``posting``, ``identity``,
the settings), so the document and the refusals cannot drift apart.
"""

from __future__ import annotations

from newsdesk.comments.identity import TRIP_KEY_CHARS
from newsdesk.comments.posting import NAME_INPUT_MAX, NAME_MAX, REACTIONS, REASON_MAX

__all__ = ["schemas"]

REACTION_LABELS = tuple(REACTIONS.values())


def _search_results() -> dict:
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "num_pages": {"type": "integer", "minimum": 1},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "snippet": {"type": "string", "description": "本文の抜粋（HTML、一致箇所は <mark>）"},
                    },
                    "required": ["id", "title", "url", "snippet"],
                },
            },
        },
        "required": ["count", "page", "num_pages", "results"],
    }


def schemas(conf: dict) -> dict:
    """Every schema the paths refer to, for the settings ``conf`` (``settings.NEWSDESK``)."""
    return {
        "Error": {
            "type": "object",
            "properties": {
                "error": {"type": "string", "description": "日本語のメッセージ1行"},
                "retry_after": {"type": "integer", "description": "429 のときの秒数"},
            },
            "required": ["error"],
        },
        "NewComment": {
            "type": "object",
            "properties": {
                "name": {
                    "type": ["string", "null"],
                    "maxLength": NAME_INPUT_MAX,
                    "description": (
                        "省略すると名無しさん。「名前#秘密」でトリップ（名前◆xxxxxxxx）。"
                        f"名前は{NAME_MAX}文字、「#」の後の秘密は{TRIP_KEY_CHARS}文字まで"
                    ),
                },
                "body": {"type": "string", "minLength": 1, "maxLength": conf["COMMENT_MAX_CHARS"]},
            },
            "required": ["body"],
        },
        "Posted": {
            "type": "object",
            "properties": {
                "no": {"type": "integer"},
                "id_tag": {"type": "string", "description": "その日・その記事での投稿者ID（8文字）"},
                "delete_token": {"type": "string", "description": "削除に使う。ブラウザに保存する"},
                "held": {"type": "boolean"},
                "message": {"type": "string"},
            },
            "required": ["no", "id_tag", "delete_token", "held"],
        },
        "Reactions": {
            "type": "object",
            "properties": {label: {"type": "integer", "minimum": 0} for label in REACTION_LABELS},
            "required": list(REACTION_LABELS),
        },
        "Comment": {
            "type": "object",
            "properties": {
                "no": {"type": "integer"},
                "name": {"type": "string"},
                "trip": {"type": "string", "description": "◆xxxxxxxx または空"},
                "id_tag": {"type": "string"},
                "body_html": {
                    "type": "string",
                    "description": "エスケープ済みHTML。リンク、>>N のアンカー、<br> だけを含む",
                },
                "created_at": {"type": "string", "format": "date-time"},
                "reactions": {"$ref": "#/components/schemas/Reactions"},
                "replies_to": {"type": "array", "items": {"type": "integer"}},
            },
            "required": [
                "no",
                "name",
                "trip",
                "id_tag",
                "body_html",
                "created_at",
                "reactions",
                "replies_to",
            ],
        },
        "CommentPage": {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "page_size": {"type": "integer"},
                "sort": {"type": "string", "enum": ["old", "new", "popular"]},
                "locked": {"type": "boolean"},
                "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
            },
            "required": ["count", "page", "pages", "comments"],
        },
        "SearchResults": _search_results(),
        "NewReaction": {
            "type": "object",
            "properties": {
                "reaction": {
                    "type": "string",
                    "enum": ["共感した", "なるほど", "うーん", "empathy", "insight", "doubt"],
                }
            },
            "required": ["reaction"],
        },
        "DeleteToken": {"type": "object", "properties": {"delete_token": {"type": "string"}}},
        "NewReport": {
            "type": "object",
            "properties": {"reason": {"type": "string", "maxLength": REASON_MAX}},
        },
    }
