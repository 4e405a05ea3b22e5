"""The web's bilingual strings and the choice of language.

The language is, in order: ``?lang=`` (remembered in the session), the session, the
browser's ``Accept-Language``. Every string here has an English and a Korean form; a
test checks that none is missing or empty.
"""

from __future__ import annotations

from typing import Any

from flask import request, session

__all__ = ["LANGS", "STRINGS", "current_lang", "t", "text_of"]

LANGS = ("en", "ko")

STRINGS: dict[str, tuple[str, str]] = {
    # -- layout -----------------------------------------------------------------------
    "app.name": ("gradwell", "gradwell"),
    "app.tagline": (
        "Autograder for vanishing and exploding gradients",
        "기울기 소실·폭주를 다루는 자동 채점기",
    ),
    "nav.exercises": ("Exercises", "과제"),
    "nav.gradebook": ("Gradebook", "성적표"),
    "nav.users": ("Users", "사용자"),
    "nav.login": ("Log in", "로그인"),
    "nav.logout": ("Log out", "로그아웃"),
    "nav.signup": ("Sign up", "회원 가입"),
    "nav.language": ("Language", "언어"),
    "nav.tokens": ("API tokens", "API 토큰"),
    "footer.text": (
        "gradwell — grading runs in a sandbox; your code never sees the answers.",
        "gradwell — 채점은 샌드박스에서 실행되며, 제출한 코드는 정답을 볼 수 없습니다.",
    ),
    # -- auth ---------------------------------------------------------------------------
    "auth.email": ("Email", "이메일"),
    "auth.name": ("Name", "이름"),
    "auth.password": ("Password", "비밀번호"),
    "auth.password2": ("Repeat the password", "비밀번호 확인"),
    "auth.login.title": ("Log in", "로그인"),
    "auth.signup.title": ("Create an account", "계정 만들기"),
    "auth.login.submit": ("Log in", "로그인"),
    "auth.signup.submit": ("Sign up", "가입하기"),
    "auth.no-account": ("No account yet?", "아직 계정이 없나요?"),
    "auth.have-account": ("Already have an account?", "이미 계정이 있나요?"),
    "auth.bad-login": ("Wrong email or password.", "이메일 또는 비밀번호가 올바르지 않습니다."),
    "auth.rate-limited": (
        "Too many log-in attempts. Try again in {seconds} s.",
        "로그인 시도가 너무 많습니다. {seconds}초 후에 다시 시도하세요.",
    ),
    "auth.email-taken": (
        "An account with this email already exists.",
        "이 이메일로 된 계정이 이미 있습니다.",
    ),
    "auth.bad-email": ("Enter a valid email address.", "올바른 이메일 주소를 입력하세요."),
    "auth.short-password": (
        "The password needs at least 8 characters.",
        "비밀번호는 8자 이상이어야 합니다.",
    ),
    "auth.mismatch": ("The two passwords differ.", "두 비밀번호가 다릅니다."),
    "auth.signup-closed": (
        "Sign-up is closed; ask your instructor for an account.",
        "회원 가입이 닫혀 있습니다. 강사에게 계정을 요청하세요.",
    ),
    "auth.welcome": ("Welcome, {name}!", "{name}님, 환영합니다!"),
    "auth.logged-out": ("You are logged out.", "로그아웃되었습니다."),
    "auth.login-required": ("Please log in to see this page.", "이 페이지를 보려면 로그인하세요."),
    "auth.forbidden": ("This page is for instructors only.", "강사만 볼 수 있는 페이지입니다."),
    "auth.csrf": (
        "The form expired or was sent from elsewhere. Reload the page and try again.",
        "양식이 만료되었거나 다른 곳에서 전송되었습니다. 페이지를 새로 고친 뒤 다시 시도하세요.",
    ),
    # -- exercise list --------------------------------------------------------------------
    "ex.list.title": ("Exercises", "과제 목록"),
    "ex.col.exercise": ("Exercise", "과제"),
    "ex.col.kind": ("Kind", "유형"),
    "ex.col.status": ("Status", "상태"),
    "ex.col.best": ("Best score", "최고 점수"),
    "ex.col.due": ("Due", "마감"),
    "ex.kind.code": ("Code", "코드"),
    "ex.kind.quiz": ("Quiz", "퀴즈"),
    "ex.status.new": ("Not started", "시작 전"),
    "ex.status.tried": ("In progress", "진행 중"),
    "ex.status.passed": ("Passed", "통과"),
    "ex.status.full": ("Full marks", "만점"),
    "ex.none": ("No exercises are published yet.", "아직 공개된 과제가 없습니다."),
    "ex.no-due": ("no deadline", "마감 없음"),
    "ex.unpublished": ("unpublished", "비공개"),
    # -- exercise page ---------------------------------------------------------------------
    "ex.statement": ("Statement", "문제"),
    "ex.your-code": ("Your solution", "내 풀이"),
    "ex.file": ("File: {file}", "파일: {file}"),
    "ex.upload": ("…or upload a file", "…또는 파일 업로드"),
    "ex.submit": ("Submit for grading", "채점 제출"),
    "ex.reset": ("Reset to the starter code", "시작 코드로 되돌리기"),
    "ex.reset-confirm": (
        "Replace the editor's content with the starter code?",
        "편집기 내용을 시작 코드로 바꿀까요?",
    ),
    "ex.history": ("Your submissions", "내 제출 기록"),
    "ex.no-history": ("No submissions yet.", "아직 제출이 없습니다."),
    "ex.points": ("{points:g} points", "{points:g}점"),
    "ex.opens": ("Opens {when}", "{when} 공개"),
    "ex.due": ("Due {when}", "마감 {when}"),
    "ex.late-until": (
        "Late submissions until {when}, −{penalty:g}%",
        "{when}까지 지각 제출 가능, −{penalty:g}%",
    ),
    "ex.attempts": ("Attempts: {used} of {limit}", "시도 횟수: {used} / {limit}"),
    "ex.attempts-unlimited": ("Attempts: {used} (no limit)", "시도 횟수: {used} (제한 없음)"),
    "ex.interval": (
        "At least {seconds} s between graded attempts",
        "채점 시도 사이 최소 {seconds}초",
    ),
    "ex.not-found": ("There is no such exercise.", "그런 과제는 없습니다."),
    # -- policy refusals -------------------------------------------------------------------
    "policy.not-open": ("This exercise opens at {when}.", "이 과제는 {when}에 공개됩니다."),
    "policy.closed": (
        "The deadline ({when}) has passed; submissions are closed.",
        "마감({when})이 지나 제출이 닫혔습니다.",
    ),
    "policy.attempts": (
        "You have used all {limit} attempts for this exercise.",
        "이 과제의 시도 횟수 {limit}회를 모두 사용했습니다.",
    ),
    "policy.interval": (
        "Please wait {seconds} s before your next graded attempt (at least {interval} s "
        "between attempts).",
        "다음 채점 시도까지 {seconds}초 기다리세요 (시도 사이 최소 {interval}초).",
    ),
    "policy.rate": (
        "Too many submissions. Try again in {seconds} s.",
        "제출이 너무 많습니다. {seconds}초 후에 다시 시도하세요.",
    ),
    "policy.too-big": (
        "The source is too large ({size} bytes; the limit is {limit}).",
        "소스가 너무 큽니다 ({size}바이트, 한도 {limit}바이트).",
    ),
    "policy.empty": ("The submission is empty.", "제출 내용이 비어 있습니다."),
    "policy.not-text": (
        "The uploaded file is not UTF-8 text.",
        "업로드한 파일이 UTF-8 텍스트가 아닙니다.",
    ),
    "policy.late": ("Submitted after the deadline: −{penalty:g}%.", "마감 후 제출: −{penalty:g}%."),
    "policy.wrong-kind": (
        "This exercise is a quiz; answer it on its page.",
        "이 과제는 퀴즈입니다. 퀴즈 페이지에서 답하세요.",
    ),
    # -- submission page ---------------------------------------------------------------------
    "sub.title": ("Submission #{id}", "제출 #{id}"),
    "sub.status.queued": ("Queued", "대기 중"),
    "sub.status.running": ("Grading…", "채점 중…"),
    "sub.status.done": ("Graded", "채점 완료"),
    "sub.status.error": ("Grader error", "채점기 오류"),
    "sub.waiting": (
        "Your code is being graded; this page updates by itself.",
        "코드를 채점하고 있습니다. 이 페이지는 자동으로 갱신됩니다.",
    ),
    "sub.error": (
        "The grader failed on this submission. This is not your fault; your instructor "
        "has been told and can regrade it.",
        "채점기가 이 제출을 처리하지 못했습니다. "
        "학생의 잘못이 아니며, 강사가 다시 채점할 수 있습니다.",
    ),
    "sub.score": ("Score", "점수"),
    "sub.raw-score": ("before the late penalty: {score}", "지각 감점 전: {score}"),
    "sub.submitted": ("Submitted {when}", "{when} 제출"),
    "sub.summary.all": (
        "All {total} checks passed, hidden ones included.",
        "숨겨진 검사를 포함해 {total}개 검사를 모두 통과했습니다.",
    ),
    "sub.summary.some": (
        "{passed} of {total} checks passed ({hidden_failed} hidden check(s) failed).",
        "{total}개 검사 중 {passed}개 통과 (숨겨진 검사 {hidden_failed}개 실패).",
    ),
    "sub.summary.visible-only": (
        "{passed} of {total} checks passed; every visible check passed, but "
        "{hidden_failed} hidden check(s) failed.",
        "{total}개 검사 중 {passed}개 통과. 공개된 검사는 모두 통과했지만 숨겨진 검사 "
        "{hidden_failed}개가 실패했습니다.",
    ),
    "sub.summary.plain": (
        "{passed} of {total} checks passed.",
        "{total}개 검사 중 {passed}개 통과.",
    ),
    "sub.hidden": ("hidden", "숨김"),
    "sub.hidden-note": (
        "Hidden checks use inputs you do not see; their names and results are "
        "shown, their inputs are not.",
        "숨겨진 검사는 공개되지 않은 입력을 사용합니다. "
        "이름과 결과는 보이지만 입력은 보이지 않습니다.",
    ),
    "sub.passed": ("passed", "통과"),
    "sub.failed": ("failed", "실패"),
    "sub.misconception": ("Likely misconception", "예상되는 오개념"),
    "sub.hint": ("Hint", "힌트"),
    "sub.source": ("Source", "소스 코드"),
    "sub.show-plot": ("Show the plot", "그래프 보기"),
    "sub.back": ("Back to the exercise", "과제로 돌아가기"),
    "sub.ungradable": (
        "Your file could not be loaded, so nothing was graded. This attempt does not count.",
        "파일을 불러올 수 없어 채점하지 못했습니다. 이 시도는 횟수에 포함되지 않습니다.",
    ),
    "sub.stdout": ("What your code printed", "코드가 출력한 내용"),
    "sub.late": ("late", "지각"),
    "sub.not-found": ("There is no such submission.", "그런 제출은 없습니다."),
    # -- quiz ---------------------------------------------------------------------------------
    "quiz.submit": ("Submit answers", "답안 제출"),
    "quiz.your-numbers": (
        "The numbers in these questions are yours: your classmates get others.",
        "이 문제의 숫자는 본인에게만 주어진 값입니다. 다른 학생은 다른 숫자를 받습니다.",
    ),
    "quiz.tolerance": (
        "Answers within {tol} are accepted.",
        "{tol} 이내의 답은 정답으로 인정됩니다.",
    ),
    "quiz.result": ("Your result", "결과"),
    "quiz.attempts": ("Previous attempts", "이전 시도"),
    "quiz.true": ("True", "참"),
    "quiz.false": ("False", "거짓"),
    "quiz.number": ("Your answer (a number)", "답 (숫자)"),
    "quiz.unavailable": (
        "This quiz cannot be shown right now: {error}",
        "지금은 이 퀴즈를 보여 줄 수 없습니다: {error}",
    ),
    "quiz.choose-one": ("Choose one.", "하나를 고르세요."),
    "quiz.choose-many": ("Choose all that apply.", "해당하는 것을 모두 고르세요."),
    # -- instructor --------------------------------------------------------------------------
    "ins.gradebook": ("Gradebook", "성적표"),
    "ins.student": ("Student", "학생"),
    "ins.total": ("Total", "합계"),
    "ins.export": ("Export CSV", "CSV 내보내기"),
    "ins.policy": ("Score policy", "점수 정책"),
    "ins.policy.best": ("best", "최고점"),
    "ins.policy.latest": ("latest", "최신"),
    "ins.late-flag": ("late", "지각"),
    "ins.no-students": ("No students yet.", "아직 학생이 없습니다."),
    "ins.stats": ("Statistics", "통계"),
    "ins.stats.title": ("Statistics: {title}", "통계: {title}"),
    "ins.stats.distribution": (
        "Score distribution (best per student)",
        "점수 분포 (학생별 최고점)",
    ),
    "ins.stats.failed": ("Most failed tests", "가장 많이 실패한 검사"),
    "ins.stats.misconceptions": ("Most frequent misconceptions", "가장 흔한 오개념"),
    "ins.stats.count": ("Count", "횟수"),
    "ins.stats.submissions": (
        "{n} graded submissions from {students} students",
        "학생 {students}명의 채점된 제출 {n}개",
    ),
    "ins.stats.none": ("Nothing graded yet.", "아직 채점된 것이 없습니다."),
    "ins.submissions": ("Submissions", "제출 목록"),
    "ins.everyone": ("everyone", "전체 보기"),
    "ins.wrong-questions": ("Missed", "틀린 문항"),
    "ins.regrade": ("Regrade", "다시 채점"),
    "ins.regrade-all": (
        "Regrade every submission of this exercise",
        "이 과제의 모든 제출 다시 채점",
    ),
    "ins.regraded": (
        "{n} submission(s) queued for regrading.",
        "제출 {n}개를 다시 채점하도록 대기열에 넣었습니다.",
    ),
    "ins.settings": ("Deadlines and limits", "마감과 제한"),
    "ins.settings.saved": ("Settings saved.", "설정을 저장했습니다."),
    "ins.settings.published": ("Published", "공개"),
    "ins.settings.opens": ("Opens at (UTC)", "공개 시각 (UTC)"),
    "ins.settings.due": ("Due at (UTC)", "마감 시각 (UTC)"),
    "ins.settings.late-until": ("Late submissions until (UTC)", "지각 제출 마감 (UTC)"),
    "ins.settings.penalty": ("Late penalty (%)", "지각 감점 (%)"),
    "ins.settings.max-attempts": (
        "Maximum attempts (empty: no limit)",
        "최대 시도 횟수 (비우면 제한 없음)",
    ),
    "ins.settings.interval": ("Minimum seconds between attempts", "시도 사이 최소 초"),
    "ins.settings.save": ("Save", "저장"),
    "ins.settings.bad": ("Could not save: {error}", "저장하지 못했습니다: {error}"),
    "ins.settings.bad-penalty": (
        "the late penalty must be between 0 and 100",
        "지각 감점은 0에서 100 사이여야 합니다",
    ),
    "ins.settings.bad-attempts": (
        "the maximum number of attempts must be a whole number ≥ 1",
        "최대 시도 횟수는 1 이상의 정수여야 합니다",
    ),
    "ins.settings.bad-number": (
        "every number field must hold a number",
        "숫자 칸에는 숫자를 입력해야 합니다",
    ),
    "ins.settings.bad-time": (
        "a date is not in the form YYYY-MM-DDTHH:MM",
        "날짜가 YYYY-MM-DDTHH:MM 형식이 아닙니다",
    ),
    "ins.settings.bad-policy": (
        "the score policy must be best or latest",
        "점수 정책은 최고점 또는 최신이어야 합니다",
    ),
    "ins.users.bad-email": (
        "{email} is not an email address.",
        "{email}은(는) 이메일 주소가 아닙니다.",
    ),
    "ins.users.exists": ("An account for {email} already exists.", "{email} 계정이 이미 있습니다."),
    "ins.users.bad-role": ("Unknown role {role}.", "알 수 없는 역할 {role}입니다."),
    "ins.users.bad-csv": (
        "The roster is not UTF-8 CSV text.",
        "명단이 UTF-8 CSV 텍스트가 아닙니다.",
    ),
    "ins.student-col": ("Student", "학생"),
    "ins.when": ("When", "시각"),
    "ins.users.add": ("Add an account", "계정 추가"),
    "ins.users.role": ("Role", "역할"),
    "ins.users.import": ("Import a roster (CSV: email,name)", "명단 가져오기 (CSV: email,name)"),
    "ins.users.imported": (
        "{n} account(s) created; they set a password by signing up with the same email.",
        "계정 {n}개를 만들었습니다. 같은 이메일로 가입하면 비밀번호를 정할 수 있습니다.",
    ),
    "role.student": ("student", "학생"),
    "role.instructor": ("instructor", "강사"),
    # -- tokens -------------------------------------------------------------------------------
    "tok.title": ("API tokens", "API 토큰"),
    "tok.create": ("Create a token", "토큰 만들기"),
    "tok.created": (
        "Your new token (shown only once, copy it now):",
        "새 토큰입니다 (한 번만 표시되니 지금 복사하세요):",
    ),
    "tok.usage": ("Use it as: Authorization: Bearer TOKEN", "사용법: Authorization: Bearer TOKEN"),
    "tok.none": ("No tokens yet.", "아직 토큰이 없습니다."),
    "tok.revoke": ("Revoke", "폐기"),
    # -- errors -------------------------------------------------------------------------------
    "err.404": ("Page not found.", "페이지를 찾을 수 없습니다."),
    "err.500": (
        "Something went wrong on our side. Please try again.",
        "서버에 문제가 생겼습니다. 다시 시도해 주세요.",
    ),
    "err.413": ("The request is too large.", "요청이 너무 큽니다."),
    "err.back": ("Back to the exercises", "과제 목록으로"),
    # -- JSON API --------------------------------------------------------------------------
    "api.unauthorized": (
        "Missing or invalid token: send 'Authorization: Bearer TOKEN' "
        "(create one with 'gradwell tokens create EMAIL').",
        "토큰이 없거나 올바르지 않습니다. 'Authorization: Bearer TOKEN'을 보내세요 "
        "('gradwell tokens create EMAIL'로 만들 수 있습니다).",
    ),
    "api.bad-json": (
        'The body must be a JSON object such as {"source": "..."}.',
        '본문은 {"source": "..."} 같은 JSON 객체여야 합니다.',
    ),
    "api.no-source": (
        "'source' is missing or not a string.",
        "'source'가 없거나 문자열이 아닙니다.",
    ),
    "api.not-found": ("Not found.", "찾을 수 없습니다."),
    "api.method": ("Method not allowed.", "허용되지 않는 메서드입니다."),
    "api.forbidden": ("Instructors only.", "강사 전용입니다."),
    "api.server-error": (
        "Internal error; nothing was changed. Try again.",
        "내부 오류입니다. 아무것도 바뀌지 않았습니다. 다시 시도하세요.",
    ),
}


def current_lang() -> str:
    try:
        chosen = request.args.get("lang")
    except RuntimeError:  # outside a request (CLI, worker)
        return "en"
    if chosen in LANGS:
        session["lang"] = chosen
        return chosen
    stored = session.get("lang")
    if stored in LANGS:
        return str(stored)
    best = request.accept_languages.best_match(LANGS)
    return best or "en"


def t(key: str, lang: str | None = None, **fields: Any) -> str:
    """The string ``key`` in ``lang`` (default: the request's), formatted with ``fields``."""
    en, ko = STRINGS[key]
    template = ko if (lang or current_lang()) == "ko" else en
    return template.format(**fields) if fields else template


def text_of(value: Any, lang: str | None = None) -> str:
    """A display string from a :class:`grader.i18n.Text`, an ``{"en","ko"}`` dict or a str."""
    lang = lang or current_lang()
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    getter = getattr(value, "get", None)
    if callable(getter):
        return str(getter(lang))
    return str(value)
