"""The OpenAPI 3.1 description of the comment API and the search API, served at /api/openapi.json."""

from __future__ import annotations

from django.conf import settings

from newsdesk.comments.openapi_schemas import schemas
from newsdesk.comments.posting import REASON_MAX

__all__ = ["openapi_document"]


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(**properties) -> dict:
    return {"type": "object", "properties": properties}


def _error(description: str) -> dict:
    return _answer(description, _ref("Error"))


def _json_body(schema_ref: str, required: bool = True) -> dict:
    return {
        "required": required,
        "content": {"application/json": {"schema": _ref(schema_ref)}},
    }


ARTICLE = {"name": "article_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NUMBER = {
    "name": "no",
    "in": "path",
    "required": True,
    "description": "スレッド内の投稿番号",
    "schema": {"type": "integer", "minimum": 1},
}
BAD_INPUT = _error(
    "入力が正しくない（JSONでない、入れ子が深すぎる、対になっていないサロゲートを含む、16KB超、"
    "本文が空・長すぎる・制御文字を含む、文字列のはずの値が文字列でない など）"
)
WRONG_TYPE = _error("Content-Type が application/json でない")
NOT_FOUND = _error("記事（公開中のもの）またはコメントがない")


def _query(name: str, description: str, schema: dict) -> dict:
    # The search page's form sends its empty fields too (since=&until=): empty means not given.
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema,
        "allowEmptyValue": True,
    }


def _search_path() -> dict:
    """GET /api/search: the search page's query as JSON (newsdesk.site.views.search.search_api)."""
    date = {"type": "string", "format": "date"}
    return {
        "get": {
            "summary": "記事を検索する",
            "operationId": "searchArticles",
            "description": (
                "空白で区切った語をすべて含む公開記事。全角・半角、ひらがな・カタカナ、大文字・小文字は"
                "区別しません（ﾗｻﾞﾛ・らざろ＝ラザロ）。人物・組織の辞書にある名前は別名でも見つかります"
                "（ラザルス・Lazarus＝ラザロ・グループ、米・米国＝アメリカ）。"
            ),
            "parameters": [
                {
                    **_query("q", "検索語（200文字・8語まで）", {"type": "string", "maxLength": 200}),
                    "required": True,
                    "allowEmptyValue": False,
                },
                _query("outlet", "媒体ID", {"type": "integer", "minimum": 1}),
                _query("entity", "人物・組織ID", {"type": "integer", "minimum": 1}),
                _query("since", "この日以降（日本時間、この日を含む）", date),
                _query("until", "この日まで（日本時間、この日を含む）", date),
                _query(
                    "order",
                    "relevance: 関連度順（見出しに全語があれば上、新しいほど上）、date: 新しい順",
                    {"type": "string", "enum": ["relevance", "date"], "default": "relevance"},
                ),
                _query("page", "ページ番号", {"type": "integer", "minimum": 1, "maximum": 500, "default": 1}),
            ],
            "responses": {
                "200": _answer("検索結果の1ページ", _ref("SearchResults")),
                "400": _error(
                    "q がない、長すぎる・語が多すぎる、または outlet・entity・since・until・order・page が正しくない"
                ),
                "405": _error("GET 以外のメソッド"),
            },
        }
    }


def openapi_document() -> dict:
    conf = settings.NEWSDESK
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{conf['SITE_NAME']} コメントAPI",
            "version": "1.0.0",
            "description": (
                "記事ごとの匿名コメント。アカウントは不要です。POST と DELETE はすべて "
                "`Content-Type: application/json` が必要です（クロスサイトからの送信を防ぐため。"
                'CORS は許可しません）。エラーはすべて `{"error": "..."}` で返ります。'
            ),
        },
        "servers": [{"url": f"{conf['SITE_URL']}/api"}],
        "paths": {
            "/search": _search_path(),
            "/articles/{article_id}/comments": {
                "parameters": [ARTICLE],
                "get": {
                    "summary": "表示中のコメントを1ページ分読む",
                    "operationId": "listComments",
                    "parameters": [
                        {
                            "name": "sort",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["old", "new", "popular"], "default": "old"},
                            "description": "old: 番号順、new: 新しい順、popular: リアクションの多い順",
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                            "description": "範囲外のページは最後のページになります",
                        },
                    ],
                    "responses": {
                        "200": _answer("コメントのページ", _ref("CommentPage")),
                        "400": _error("sort または page が正しくない"),
                        "404": NOT_FOUND,
                    },
                },
                "post": {
                    "summary": "コメントを投稿する",
                    "operationId": "postComment",
                    "requestBody": _json_body("NewComment"),
                    "responses": {
                        "201": _answer("公開された", _ref("Posted")),
                        "202": _answer(
                            "承認待ちとして受け付けた（NGワード、スパム判定、スレッドが承認制）",
                            _ref("Posted"),
                        ),
                        "400": _error(
                            BAD_INPUT["description"] + "、同じ内容の連投、リンクが多すぎる、拒否するNGワード"
                        ),
                        "403": _error("スレッドが書き込み停止、または投稿元が投稿禁止"),
                        "404": NOT_FOUND,
                        "415": WRONG_TYPE,
                        "429": {
                            **_error("投稿が多すぎる（スレッドごと・サイト全体の制限）"),
                            "headers": {
                                "Retry-After": {
                                    "description": "もう一度投稿できるまでの秒数",
                                    "schema": {"type": "integer"},
                                }
                            },
                        },
                    },
                },
            },
            "/articles/{article_id}/comments/{no}": {
                "parameters": [ARTICLE, NUMBER],
                "delete": {
                    "summary": "自分のコメントを削除する（投稿から一定時間内）",
                    "operationId": "deleteComment",
                    "description": (
                        f"投稿時の delete_token を X-Delete-Token ヘッダーか本文で送ります。"
                        f"投稿から{conf['COMMENT_DELETE_SECONDS']}秒以内。本文と名前は消え、番号は残ります。"
                        "本文を送るときは Content-Type: application/json、本文なしなら Content-Type は不要です。"
                    ),
                    "parameters": [
                        {
                            "name": "X-Delete-Token",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": _json_body("DeleteToken", required=False),
                    "responses": {
                        "200": _answer("削除した", _object(no={"type": "integer"}, deleted={"const": True})),
                        "400": BAD_INPUT,
                        "403": _error("削除キーが違う、または削除できる時間を過ぎた"),
                        "404": NOT_FOUND,
                        "415": WRONG_TYPE,
                    },
                },
            },
            "/articles/{article_id}/comments/{no}/reactions": {
                "parameters": [ARTICLE, NUMBER],
                "post": {
                    "summary": "リアクションする（同じ種類は1人1回、2回目は何も変えない）",
                    "operationId": "reactToComment",
                    "requestBody": _json_body("NewReaction"),
                    "responses": {
                        "200": _answer(
                            "現在の数", _object(no={"type": "integer"}, reactions=_ref("Reactions"))
                        ),
                        "400": _error("リアクションの種類が正しくない"),
                        "404": NOT_FOUND,
                        "415": WRONG_TYPE,
                    },
                },
            },
            "/articles/{article_id}/comments/{no}/report": {
                "parameters": [ARTICLE, NUMBER],
                "post": {
                    "summary": "コメントを通報する（1人1回数えます）",
                    "operationId": "reportComment",
                    "description": (
                        "理由を書かなくても、本文 {} と Content-Type: application/json が必要です"
                        "（Content-Type のない POST は他のサイトのページからも送れてしまうため）。"
                    ),
                    "requestBody": _json_body("NewReport"),
                    "responses": {
                        "202": _answer(
                            "受け付けた", _object(no={"type": "integer"}, reported={"const": True})
                        ),
                        "400": _error(BAD_INPUT["description"] + f"、理由が{REASON_MAX}文字を超える"),
                        "404": NOT_FOUND,
                        "415": WRONG_TYPE,
                    },
                },
            },
            "/openapi.json": {
                "get": {
                    "summary": "この文書",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {"schemas": schemas(conf)},
    }
