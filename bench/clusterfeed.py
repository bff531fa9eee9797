"""Generated Japanese news pages, their RSS feeds and lead images, served from 127.0.0.1.

For ``bench/cluster.py``. Every page says it is a sample written for the benchmark (invented
outlets, people and figures, on ``.example`` domains). The pages are built from events (a topic,
a place, a day): each event gets a handful of articles from different outlets, each drawing its
own sentences, numbers and people, so that stories form without the articles being copies of
one another.

The server runs in a process of its own. ``Trap``: once armed, the first lead-image request from
a worker is held unanswered (its worker is then mid-pipeline, in the images stage) and reported
with the requester's User-Agent, until released.
"""

from __future__ import annotations

import io
import multiprocessing
import random
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SAMPLE_NOTE = "この記事は newsdesk のベンチマーク用に生成したサンプルです。媒体・人物・数字は架空です。"

OUTLETS = [
    ("ハンガン日報", "hangang-daily.example"),
    ("東亜経済新報", "toa-keizai.example"),
    ("玄界灘タイムズ", "genkainada-times.example"),
    ("黄海ウィークリー", "kokai-weekly.example"),
    ("台北ポスト日本語版", "taipei-post.example"),
    ("北東アジア通信", "nea-tsushin.example"),
    ("釜関ジャーナル", "fukan-journal.example"),
    ("大陸ビジネス報", "tairiku-business.example"),
]

PLACES = {
    "韓国": ["ソウル", "釜山", "仁川", "大邱", "光州", "済州"],
    "中国": ["上海", "大連", "青島", "天津", "広州", "深圳"],
    "台湾": ["台北", "高雄", "台中", "台南"],
    "日本": ["福岡", "下関", "長崎", "那覇", "新潟", "札幌"],
    "モンゴル": ["ウランバートル"],
    "ロシア": ["ウラジオストク"],
}
SURNAMES = [
    "金",
    "李",
    "朴",
    "崔",
    "鄭",
    "王",
    "陳",
    "林",
    "張",
    "黄",
    "劉",
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山口",
]
GIVEN = [
    "敏浩",
    "秀英",
    "志勲",
    "美玲",
    "建国",
    "雅婷",
    "俊傑",
    "恵美",
    "健太",
    "陽子",
    "翔",
    "真由美",
    "大輔",
    "彩",
    "浩一",
    "由紀",
    "誠",
    "智恵",
]
UNIVERSITIES = [
    "東亜大学",
    "黄海大学",
    "玄海国際大学",
    "北東アジア研究院",
    "環日本海経済研究所",
    "海峡政策研究所",
]
ROLES = ["教授", "研究員", "主任研究員", "准教授", "上席アナリスト"]

# Per topic: headlines, leads and body sentences with slots. {p} place, {c} country, {n}/{m}/{k}
# numbers, {who} a named analyst, {d} the event's day, {org} an invented body.
TOPICS = {
    "ferry": {
        "head": [
            "{p}発の国際フェリー、{n}年ぶりに運航再開",
            "{p}航路のフェリー増便へ　週{k}便に",
            "{p}と日本結ぶ航路、旅客{m}万人を見込む",
        ],
        "lead": [
            "{c}の{p}港と日本を結ぶ国際フェリーが{d}、{n}年ぶりに運航を再開した。",
            "{p}港湾公社は{d}、日本との間の国際フェリーを週{k}便に増やすと発表した。",
        ],
        "body": [
            "初便には約{m}00人の乗客が乗り込み、港では歓迎の式典が開かれた。",
            "運航会社によると、予約は{k}月末までほぼ埋まっているという。",
            "航路の休止中、両地域を行き来する人は航空便に頼るしかなかった。",
            "港湾公社は旅客ターミナルの改修に{n}億ウォンを投じた。",
            "地元の商店街では、外国人客向けの案内板を{k}か所に新設した。",
            "貨物の取り扱いも再開され、農産物の輸送費が{n}割ほど下がる見通しだ。",
            "運賃は片道で{m}千円からと、休止前とほぼ同じ水準に据え置かれた。",
            "{org}は、修学旅行の利用を呼びかけるため学校向けの説明会を開く。",
            "冬場の高波で欠航が続いた年もあり、運航会社は新造船の投入を検討している。",
            "乗客の一人は「船旅は時間がかかるが、荷物を気にせず移動できる」と話した。",
        ],
    },
    "chips": {
        "head": [
            "{p}に半導体新工場、投資額{n}兆ウォン",
            "半導体材料の工場、{p}で着工",
            "{p}の半導体工場、{k}年稼働へ前倒し",
        ],
        "lead": [
            "半導体大手が{d}、{c}の{p}に新工場を建設すると発表した。投資額は約{n}兆ウォンに上る。",
            "{p}で{d}、半導体材料の新工場の起工式が開かれた。",
        ],
        "body": [
            "新工場では回路の形成に使う感光材を年間{m}トン生産する計画だ。",
            "地元自治体は、工業用水の確保に向けて浄水施設を増強する。",
            "雇用は約{m}00人を見込み、地元の工業高校との連携も進める。",
            "世界的な需要の回復を受け、同社は生産能力を{k}割引き上げる方針を示した。",
            "電力の安定供給が課題で、送電網の増強工事が並行して進む。",
            "{org}は、部品の調達先を分散させる動きの一環だと分析している。",
            "工場の敷地は東京ドーム約{k}個分の広さになる。",
            "輸出規制の行方によっては計画の見直しもあり得ると関係者は話す。",
            "周辺では住宅の建設が相次ぎ、地価が前年より{k}％上がった。",
            "同社は排水の処理を徹底し、環境への影響を毎月公表するとしている。",
        ],
    },
    "typhoon": {
        "head": ["台風{k}号、{p}で記録的な大雨", "{p}で強風被害、停電{m}千戸", "台風通過の{p}、復旧作業続く"],
        "lead": [
            "台風{k}号の接近に伴い、{c}の{p}では{d}、記録的な大雨となった。",
            "{d}に{p}付近を通過した台風の影響で、広い範囲で停電や浸水が起きた。",
        ],
        "body": [
            "{p}の気象当局によると、24時間の雨量は{m}ミリに達した。",
            "市内の約{m}千戸で一時停電し、電力会社が復旧を急いでいる。",
            "空港では国際線を含む{n}0便が欠航し、多くの旅行者が足止めされた。",
            "川沿いの低い地域では住民約{m}00人が学校などに避難した。",
            "農業の被害額は{n}億円を超えるとの試算もある。",
            "漁港では係留中の漁船{k}隻が転覆した。",
            "市は災害対策本部を設け、被害状況の確認を進めている。",
            "専門家は、海面水温の上昇で台風が勢力を保ったまま接近しやすくなっていると指摘する。",
            "鉄道は一部区間で運転を見合わせ、{k}日朝までに全線で再開した。",
            "ボランティアセンターには初日だけで{m}00人以上が登録した。",
        ],
    },
    "tourism": {
        "head": [
            "{p}の外国人観光客、{k}か月連続で増加",
            "{p}に観光客{m}万人、過去最多に迫る",
            "{p}で免税売上が回復",
        ],
        "lead": [
            "{c}の{p}を訪れた外国人観光客が{d}までの1か月で{m}万人となり、前年同期を{k}割上回った。",
            "{p}市は{d}、今年上半期の外国人観光客が過去最多に迫ったと発表した。",
        ],
        "body": [
            "国・地域別では日本からの客が最も多く、全体の{k}割を占めた。",
            "格安航空会社の新規路線が相次いで就航したことが追い風になった。",
            "ホテルの客室稼働率は平均{n}0％台後半で推移している。",
            "人気の市場では、案内表示を{k}言語に増やした。",
            "一方で、住宅街に観光客が押し寄せる問題への対策も求められている。",
            "{org}は、滞在日数を延ばすため地方への周遊ルートを売り込む。",
            "免税店の売上高は前年比{k}％増え、化粧品や菓子がよく売れた。",
            "観光業の人手不足は深刻で、賃金の引き上げが続いている。",
            "市は夜間の観光を増やすため、公園のライトアップを始めた。",
        ],
    },
    "fishery": {
        "head": [
            "{c}と日本の漁業協議、漁獲枠で合意",
            "{p}沖の漁業協議、{k}年ぶり再開",
            "サワラ漁獲枠、{p}で協議続く",
        ],
        "lead": [
            "{c}と日本の漁業当局者が{d}、{p}で協議し、来年の漁獲枠で合意した。",
            "{p}で{d}、{k}年ぶりとなる漁業協議が開かれた。",
        ],
        "body": [
            "合意によると、相手国の水域での漁獲枠は計{m}千トンとなる。",
            "サバやタチウオなどの資源の減少が続き、双方の主張には隔たりがあった。",
            "漁業者の団体は、枠の削減で経営がさらに苦しくなると懸念を示した。",
            "違法操業の取り締まりを強化することでも一致した。",
            "協議は当初の予定より{k}日長引いた。",
            "{org}は、資源の調査を共同で行う枠組みづくりを提案した。",
            "燃料費の高騰もあり、出漁を控える漁船が増えている。",
            "地元の水産加工会社は、原料の輸入を増やして対応している。",
            "次回の協議は来年{k}月に開かれる予定だ。",
        ],
    },
    "rail": {
        "head": ["{p}の新路線、{k}年春に開業へ", "{p}と空港結ぶ鉄道が開業", "{p}で高速鉄道の延伸工事始まる"],
        "lead": [
            "{c}の{p}で{d}、市中心部と空港を結ぶ新しい鉄道路線が開業した。",
            "{p}で{d}、高速鉄道の延伸工事の起工式が行われた。総事業費は{n}千億円規模とされる。",
        ],
        "body": [
            "所要時間は従来のバスより約{n}0分短くなる。",
            "全長{m}キロの区間に{k}つの駅を設ける。",
            "開業初日は記念の切符を求める人で駅に長い列ができた。",
            "運行は早朝から深夜までで、ピーク時は{k}分間隔となる。",
            "沿線では商業施設や住宅の開発が計画されている。",
            "{org}は、年間の利用者を{m}00万人と見込む。",
            "建設費の膨らみを懸念する声もあり、市議会で議論が続いた。",
            "車両は地元の工場で製造され、座席には充電用の端子が付いた。",
            "観光客の利用を見込み、案内放送は{k}か国語で流す。",
        ],
    },
    "air": {
        "head": [
            "{p}でPM2.5濃度が上昇、注意報",
            "{p}など{k}都市、大気観測で連携",
            "黄砂の飛来、{p}で今年最多",
        ],
        "lead": [
            "{c}の{p}で{d}、微小粒子状物質（PM2.5）の濃度が上がり、当局が注意報を出した。",
            "{p}など{k}都市は{d}、大気汚染の観測データを共有することで合意した。",
        ],
        "body": [
            "観測された1時間値の最大は1立方メートルあたり{m}マイクログラムだった。",
            "当局は屋外での激しい運動を控えるよう呼びかけた。",
            "学校では体育の授業を屋内に切り替えるところもあった。",
            "黄砂の観測日数は今年すでに{k}日となり、例年を上回っている。",
            "観測局を{n}0か所増やし、データを1時間ごとに公開する。",
            "{org}は、工場や発電所の排出規制の強化が効果を上げていると評価した。",
            "マスクの売れ行きが伸び、薬局では品薄となる店もあった。",
            "専門家は、季節風の向きによって濃度が大きく変わると説明する。",
            "予報の精度を上げるため、近隣の都市とモデルを共同で開発する。",
        ],
    },
    "prices": {
        "head": [
            "{c}の消費者物価、{k}か月ぶりの伸び",
            "{p}で食品値上げ相次ぐ",
            "{c}中銀、金利据え置き　物価を警戒",
        ],
        "lead": [
            "{c}の統計当局は{d}、消費者物価指数が前年同月比で{k}.{n}％上昇したと発表した。",
            "{p}では{d}、食品や外食の値上げが相次いでいる。",
        ],
        "body": [
            "野菜や果物の値上がりが目立ち、特にリンゴは{k}割高くなった。",
            "エネルギー価格は落ち着いてきたが、サービス価格の上昇が続く。",
            "中央銀行は政策金利を{k}.{n}％に据え置いた。",
            "家計の負担を和らげるため、政府は公共料金の引き上げを先送りした。",
            "外食チェーンの多くがメニューの価格を{n}％前後引き上げた。",
            "{org}は、年末にかけて物価の伸びは鈍るとみている。",
            "賃金の伸びが物価に追いつかず、実質賃金は{k}か月連続で減った。",
            "市場では、来年前半の利下げを予想する声が増えている。",
            "通貨安が輸入品の価格を押し上げている面もある。",
        ],
    },
    "wind": {
        "head": [
            "{p}沖で洋上風力発電所が稼働",
            "{p}沖の洋上風力、{n}00メガワットの計画",
            "洋上風力の港湾整備、{p}で完成",
        ],
        "lead": [
            "{c}の{p}沖で{d}、大型の洋上風力発電所が商業運転を始めた。",
            "{p}沖に出力{n}00メガワットの洋上風力発電所を建てる計画が{d}、承認された。",
        ],
        "body": [
            "風車は{m}基で、一般家庭約{m}0万世帯分の電力をまかなう。",
            "建設には{n}千億ウォンが投じられ、地元企業も部品の供給に加わった。",
            "漁業者との調整に時間がかかり、着工は当初より{k}年遅れた。",
            "港では風車の部品を組み立てる専用の岸壁が整備された。",
            "{org}は、再生可能エネルギーの比率を{k}0％に高める目標を掲げる。",
            "海底ケーブルで陸上の変電所と結び、送電を始めた。",
            "渡り鳥への影響を調べるため、レーダーによる監視を続ける。",
            "電気料金の引き下げにつながるかは、まだ見通せない。",
            "風車の保守を担う技術者の育成が課題となっている。",
        ],
    },
    "students": {
        "head": [
            "{p}の大学、日本からの留学生{m}00人に",
            "{p}で日本語教育の拠点開設",
            "{c}の大学と日本の大学、単位互換で合意",
        ],
        "lead": [
            "{c}の{p}にある大学で学ぶ日本人留学生が{d}までに{m}00人を超えた。",
            "{p}で{d}、日本語教育の新たな拠点が開設された。",
        ],
        "body": [
            "短期の語学研修に参加する学生が特に増えている。",
            "大学は寮の部屋を{k}0室増やして受け入れに備えた。",
            "日本の大学との単位互換の協定は{k}件に広がった。",
            "奨学金の給付額は月{m}万ウォンに引き上げられた。",
            "卒業後に現地の企業に就職する例も出てきた。",
            "{org}は、地方の大学にも交流を広げたい考えだ。",
            "語学学校の受講者も{k}割増え、講師の確保が急がれる。",
            "学生の一人は「ドラマで覚えた言葉が通じるとうれしい」と話した。",
            "オンラインの共同授業も始まり、{n}校が参加している。",
        ],
    },
    "battery": {
        "head": [
            "{p}に電池工場、{n}千億円投資",
            "電気自動車の生産、{p}で倍増へ",
            "{p}の電池リサイクル工場が稼働",
        ],
        "lead": [
            "電池大手が{d}、{c}の{p}に電気自動車向け電池の新工場を建てると発表した。",
            "{p}で{d}、使用済み電池からリチウムなどを取り出すリサイクル工場が稼働した。",
        ],
        "body": [
            "年間の生産能力は電気自動車{m}0万台分に相当する。",
            "正極材の原料は、アフリカや南米から調達する計画だ。",
            "工場の稼働は{k}年後を目指し、約{m}00人を雇う。",
            "電気自動車の販売は伸びが鈍っており、計画の延期を懸念する声もある。",
            "{org}は、電池の再利用の仕組みづくりが急務だと指摘する。",
            "自治体は税の減免や用地の造成で誘致を後押しした。",
            "充電設備の整備も進み、市内の急速充電器は{n}00基を超えた。",
            "取り出した金属は、再び電池の材料として使われる。",
            "火災への備えとして、工場には専用の消火設備を置く。",
        ],
    },
    "election": {
        "head": ["{p}市長選、新人が初当選", "{p}の補欠選挙、投票率{n}0％台", "{p}市議選、与党が過半数割れ"],
        "lead": [
            "{c}の{p}で{d}、市長選挙の投開票が行われ、新人の候補が初当選した。",
            "{p}で{d}行われた補欠選挙は、投票率が{n}0％台にとどまった。",
        ],
        "body": [
            "争点は公共交通の整備と子育て支援だった。",
            "当選した候補は、就任後{k}か月以内に交通計画を見直すと述べた。",
            "若い世代の投票率は前回より{k}ポイント上がった。",
            "落選した現職は「市民の判断を受け止める」と語った。",
            "期日前投票の利用者は{m}万人で、過去最多となった。",
            "{org}は、物価高への不満が結果に表れたと分析する。",
            "選挙戦では、候補者の討論会が{k}回開かれた。",
            "新しい市長の任期は{k}年となる。",
            "開票作業は深夜まで続き、大勢が決まったのは日付が変わってからだった。",
        ],
    },
}
ORGS = [
    "地元の商工会議所",
    "港湾物流協会",
    "アジア経済研究会",
    "海峡経済フォーラム",
    "東アジア交流財団",
    "地域政策センター",
]
QUOTES = [
    "{who}は「今回の動きは地域の経済にとって大きな意味がある」と話した。",
    "{who}は「短期的な効果よりも、数年先を見た取り組みが大切だ」と指摘する。",
    "{who}は「隣国との協力なしには解決できない課題だ」と述べた。",
    "{who}は「数字だけでは分からない変化が現場で起きている」と語った。",
]
# Invented companies and bodies: each event has one, named in its articles.
SUBJECT_FIRST = [
    "海星",
    "東洋",
    "大韓",
    "新光",
    "長栄",
    "華南",
    "北辰",
    "青海",
    "鴻運",
    "三和",
    "光明",
    "天海",
    "蒼龍",
    "白山",
    "瑞祥",
    "黎明",
]
SUBJECT_LAST = [
    "電子",
    "海運",
    "化学",
    "重工",
    "エナジー",
    "物産",
    "港湾公社",
    "交通",
    "建設",
    "観光開発",
    "水産",
    "材料",
]
EVENT_LINES = [
    "{s}の関係者は、今回の件について「{p}の将来に関わる話だ」と話した。",
    "{s}は{d}、記者会見を開いて詳しい内容を説明した。",
    "{s}の発表によると、関連する予算は{e}億円規模になる。",
    "{s}は、{p}で住民向けの説明会を開く予定だ。",
    "{s}が{p}で同様の取り組みをするのは{k}年ぶりとなる。",
    "{s}の株価は、発表の翌日に{k}％上がった。",
]
ARTICLES_PER_EVENT = 6
GENERIC = [
    "関係者によると、詳しい日程は来月にも決まる見通しだ。",
    "地元紙は、この件を1面で大きく伝えた。",
    "SNSでは、歓迎する声と慎重な意見の両方が見られた。",
    "同様の取り組みは、周辺の都市でも検討されている。",
    "今後の進み具合が注目される。",
]


@dataclass
class Page:
    index: int
    url: str  # where the bench serves it (127.0.0.1)
    canonical: str  # the invented outlet's address
    title: str
    html: bytes
    published: datetime


def _fill(template: str, facts: dict, rng: random.Random) -> str:
    values = {
        **facts,
        "n": rng.randint(2, 9),
        "m": rng.randint(11, 99),
        "k": rng.randint(2, 9),
        "who": _analyst(rng),
        "org": rng.choice(ORGS),
    }
    return template.format(**values)


def _analyst(rng: random.Random) -> str:
    return f"{rng.choice(UNIVERSITIES)}の{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(ROLES)}"


def _day(value: datetime) -> str:
    return f"{value.month}月{value.day}日"


def generate(count: int, base: str, prefix: str, seed: int, now: datetime | None = None) -> list[Page]:
    """``count`` article pages served under ``base`` (http://127.0.0.1:port) at /news/<prefix>-<i>.html."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    topics = list(TOPICS)
    events = []
    for _ in range(max(1, count // ARTICLES_PER_EVENT)):
        country = rng.choice(list(PLACES))
        topic = rng.choice(topics)
        events.append(
            {
                "topic": topic,
                "c": country,
                "p": rng.choice(PLACES[country]),
                "s": rng.choice(SUBJECT_FIRST) + rng.choice(SUBJECT_LAST),
                "e": rng.randint(12, 980),
                "when": now - timedelta(days=rng.uniform(1, 90)),
                # Each event tells its own part of its topic: articles on two events of one topic
                # share fewer sentences than two articles on one event.
                "pool": rng.sample(TOPICS[topic]["body"], 6),
            }
        )
    pages = []
    for i in range(count):
        event = rng.choice(events)
        topic = TOPICS[event["topic"]]
        outlet, domain = rng.choice(OUTLETS)
        published = event["when"] + timedelta(hours=rng.uniform(1, 40))
        published = min(published, now - timedelta(minutes=5))
        facts = {key: event[key] for key in ("c", "p", "s", "e")} | {"d": _day(event["when"])}
        title = _fill(rng.choice(topic["head"]), facts, rng)
        if rng.random() < 0.5:
            title = f"{event['s']}、{title}"
        body = [_fill(rng.choice(topic["lead"]), facts, rng)]
        sentences = rng.sample(event["pool"], rng.randint(3, 5)) + rng.sample(EVENT_LINES, 2)
        sentences += [rng.choice(QUOTES), rng.choice(GENERIC)]
        rng.shuffle(sentences)
        # One to three sentences a paragraph, as newspapers write them.
        while sentences:
            take = rng.randint(1, 3)
            body.append("".join(_fill(s, facts, rng) for s in sentences[:take]))
            sentences = sentences[take:]
        body.append(f"（{rng.choice(SURNAMES)}{rng.choice(GIVEN)}、{event['p']}）")
        body.append(SAMPLE_NOTE)
        url = f"{base}/news/{prefix}-{i}.html"
        canonical = f"https://www.{domain}/news/{published:%Y%m%d}/{prefix}-{i}.html"
        image = f"{base}/img/{prefix}-{i}.jpg"
        author = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
        html = _page(title, outlet, canonical, image, author, published, body, event)
        pages.append(Page(i, url, canonical, title, html.encode(), published))
    return pages


def _page(title, outlet, canonical, image, author, published, body, event) -> str:
    stamp = published.isoformat(timespec="seconds")
    paragraphs = "\n".join(f"      <p>{escape(p)}</p>" for p in body)
    caption = f"{event['p']}の様子（{outlet}/サンプル写真）"
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>{escape(title)}｜{escape(outlet)}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="og:url" content="{canonical}">
<meta property="og:image" content="{image}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{stamp}">
</head>
<body>
<div id="header"><a href="/">{escape(outlet)}</a>
  <ul class="gnavi"><li><a href="/">ホーム</a></li><li><a href="/asia/">アジア</a></li><li><a href="/economy/">経済</a></li></ul>
</div>
<div id="main">
  <article class="news-article">
    <h1 class="headline">{escape(title)}</h1>
    <p class="news-date"><time datetime="{stamp}">{published:%Y/%m/%d %H:%M}</time>　{escape(author)}</p>
    <figure class="photo">
      <img src="{image}" width="640" height="360" alt="{escape(event["p"])}">
      <figcaption>{escape(caption)}</figcaption>
    </figure>
    <div class="news-body">
{paragraphs}
    </div>
  </article>
  <div class="related"><h3>関連ニュース</h3><ul><li><a href="/asia/">アジアの記事一覧</a></li></ul></div>
</div>
<div id="footer">© {escape(outlet)}（架空の媒体）</div>
</body>
</html>
"""


def feed(pages: list[Page], base: str, name: str) -> bytes:
    items = "\n".join(
        f"<item><title>{escape(page.title)}</title><link>{escape(page.url)}</link>"
        f"<guid>{escape(page.url)}</guid><pubDate>{format_datetime(page.published)}</pubDate></item>"
        for page in pages
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>ベンチマーク用サンプルフィード {name}</title><link>{base}/</link>"
        f"<description>newsdesk のベンチマーク用に生成したサンプル記事</description>\n{items}\n"
        "</channel></rss>\n"
    ).encode()


def images(count: int = 12) -> list[bytes]:
    """A few distinct JPEG photos-to-be (gradients with a band), 640x360."""
    from PIL import Image, ImageDraw

    made = []
    for n in range(count):
        image = Image.new("RGB", (640, 360), (40 + n * 15 % 200, 90, 160 - n * 9 % 120))
        draw = ImageDraw.Draw(image)
        for y in range(0, 360, 6):
            draw.line([(0, y), (640, y)], fill=(y * 255 // 360, 120 + n * 7 % 100, 200 - y // 3))
        draw.rectangle([40 + n * 10, 100, 600 - n * 10, 260], fill=(250, 240 - n * 10, 200))
        draw.text((60 + n * 10, 170), f"SAMPLE PHOTO {n}", fill=(20, 20, 20))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        made.append(buffer.getvalue())
    return made


_IMAGE_PATH = re.compile(r"^/img/(?P<name>[\w-]+)\.jpg$")


class Trap:
    """Shared between the bench and the server process."""

    def __init__(self) -> None:
        self.armed = multiprocessing.Event()
        self.released = multiprocessing.Event()
        self.caught: multiprocessing.Queue = multiprocessing.Queue()


def serve(port: int, documents: dict[str, tuple[bytes, str]], trap: Trap, agents: tuple[str, ...]) -> None:
    """Serves ``documents`` (path: (bytes, content type)) on 127.0.0.1:port until killed."""
    taken = threading.Lock()
    state = {"sprung": False}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            found = documents.get(self.path)
            if found is None:
                self._send(404, b"not found", "text/plain")
                return
            agent = self.headers.get("User-Agent", "")
            if _IMAGE_PATH.match(self.path) and trap.armed.is_set() and agent in agents:
                with taken:
                    hold, state["sprung"] = not state["sprung"], True
                if hold:
                    trap.caught.put((agent, self.path))
                    trap.released.wait(60)
            self._send(200, *found)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the worker that asked was killed meanwhile

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()
