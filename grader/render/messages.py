"""The command line's and the renderers' own words, in English and Korean.

Same shape as :data:`grader.i18n.MESSAGES` (id -> (English, Korean), ``str.format``
fields), kept here so that the grading engine's catalogue stays the engine's.
"""

from __future__ import annotations

from typing import Any

from grader.i18n import Text

__all__ = ["UI_MESSAGES", "ui"]


def ui(key: str, **fields: Any) -> Text:
    """The UI message ``key`` with ``fields`` formatted into both languages."""
    en, ko = UI_MESSAGES[key]
    return Text(en.format(**fields), ko.format(**fields))


UI_MESSAGES: dict[str, tuple[str, str]] = {
    # -- result views ---------------------------------------------------------------
    "render.test": ("Test", "검사"),
    "render.points": ("Points", "점수"),
    "render.feedback": ("Feedback", "피드백"),
    "render.misconceptions": ("Misconceptions", "오개념"),
    "render.total": ("Total", "합계"),
    "render.result-title": ("gradwell: {exercise}", "gradwell: {exercise}"),
    "render.total-line": (
        "Total: {score:g} / {max_score:g} ({percent:.1f}%)",
        "합계: {score:g} / {max_score:g} ({percent:.1f}%)",
    ),
    "render.ungradable": (
        "The submission could not be graded:", "제출물을 채점할 수 없습니다:",
    ),
    "render.passed": ("passed", "통과"),
    "render.failed": ("failed", "실패"),
    "render.hidden": ("hidden", "비공개"),
    "render.misconception-list": (
        "Misconceptions detected: {ids}", "발견된 오개념: {ids}",
    ),
    "render.summary-title": ("gradwell results", "gradwell 채점 결과"),
    "render.summary-exercise": ("Exercise", "과제"),
    "render.summary-score": ("Score", "점수"),
    "render.summary-status": ("Status", "상태"),
    "render.summary-passmark": ("Pass mark", "통과 기준"),
    "render.summary-pass": ("pass", "통과"),
    "render.summary-fail": ("below the pass mark", "통과 기준 미달"),
    # -- command line ---------------------------------------------------------------
    "cli.plugin-failed": (
        "Warning: the command plugin {name!r} ({value}) could not be loaded ({error}); "
        "its commands are unavailable, the others work.",
        "경고: 명령 플러그인 {name!r} ({value})을(를) 불러오지 못했습니다 ({error}). "
        "해당 명령만 쓸 수 없고 나머지는 동작합니다.",
    ),
    "cli.unreadable": (
        "cannot read {path}: {error}. Check the path and its permissions.",
        "{path}을(를) 읽을 수 없습니다: {error}. 경로와 권한을 확인하세요.",
    ),
    "cli.not-utf8": (
        "{path} is not UTF-8 text (byte {position}). Save it with UTF-8 encoding and try again.",
        "{path}은(는) UTF-8 텍스트가 아닙니다 ({position}번째 바이트). "
        "UTF-8로 저장한 뒤 다시 시도하세요.",
    ),
    "cli.not-code": (
        "{id!r} is a quiz, not a code exercise. Use one of: {known}.",
        "{id!r}은(는) 코드 과제가 아니라 퀴즈입니다. 다음 중 하나를 쓰세요: {known}.",
    ),
    "cli.not-a-dir": (
        "{path} is not a directory. Give the directory that holds the submissions.",
        "{path}은(는) 디렉터리가 아닙니다. 제출물이 들어 있는 디렉터리를 지정하세요.",
    ),
    "cli.no-submissions": (
        "no *.py files in {path} or its student subdirectories.",
        "{path}와(과) 그 학생별 하위 디렉터리에 *.py 파일이 없습니다.",
    ),
    "cli.cannot-write": (
        "cannot write {path}: {error}. Choose a writable location with --out.",
        "{path}에 쓸 수 없습니다: {error}. --out으로 쓸 수 있는 위치를 지정하세요.",
    ),
    "cli.wrote": ("Wrote {path}.", "{path}을(를) 썼습니다."),
    "cli.grader-error": (
        "the grader failed ({type}: {message}). This is a fault of gradwell, not of the "
        "submission: rerun with GRADWELL_DEBUG=1 to see the traceback, and report it.",
        "채점기에 오류가 발생했습니다 ({type}: {message}). 제출물이 아니라 gradwell의 문제입니다. "
        "GRADWELL_DEBUG=1로 다시 실행해 traceback을 확인하고 알려 주세요.",
    ),
    "cli.exercise-broken": (
        "the exercises could not be loaded: {error}",
        "과제를 불러올 수 없습니다: {error}",
    ),
    # -- --help (picked at start-up from the locale: GRADWELL_LANG, then LANG) -----------
    "help.main": (
        "gradwell: an autograder for vanishing and exploding gradients.\n\n"
        "Grade submissions, check exercises, export a student repository, and (with the "
        "web plugin) run the web service.",
        "gradwell: 기울기 소실·폭발을 다루는 자동 채점기.\n\n"
        "제출물을 채점하고, 과제를 점검하고, 학생용 저장소를 내보내며, (웹 플러그인이 있으면) "
        "웹 서비스를 실행합니다.",
    ),
    "help.version": ("Show the gradwell version and exit.", "gradwell 버전을 보여 주고 끝냅니다."),
    "help.lang": (
        "Language of the output (default: from GRADWELL_LANG or the locale).",
        "출력 언어 (기본값: GRADWELL_LANG 또는 로케일).",
    ),
    "help.exercises": (
        "List, show and self-check the exercises.", "과제를 나열하고, 보여 주고, 점검합니다.",
    ),
    "help.default-cpus": ("number of CPUs", "CPU 수"),
    "help.exercises-list": (
        "List the exercises and quizzes with their ids, kinds, titles and points.",
        "과제와 퀴즈의 ID, 종류, 제목, 배점을 나열합니다.",
    ),
    "help.exercises-show": (
        "Show an exercise's statement, its tests and their points.",
        "과제 설명과 검사 항목, 배점을 보여 줍니다.",
    ),
    "help.exercises-check": (
        "Grade each reference (full marks expected) and each misconception's mutant (points "
        "lost and the misconception tagged expected); exit 1 on any failure.",
        "각 참조 구현(만점이어야 함)과 각 오개념의 변형(감점되고 오개념이 태그되어야 함)을 "
        "채점합니다. 하나라도 어긋나면 종료 코드 1로 끝납니다.",
    ),
    "help.check-jobs": ("How many gradings to run at once.", "동시에 실행할 채점 수."),
    "help.grade": (
        "Grade one submission FILE (-: standard input) of an exercise; exit 0 whatever the score.",
        "과제 제출물 FILE(-: 표준 입력) 하나를 채점합니다. 점수와 관계없이 종료 코드는 0입니다.",
    ),
    "help.grade-exercise": (
        "The exercise the file is a submission of (see `gradwell exercises list`).",
        "파일이 제출된 과제 (`gradwell exercises list` 참고).",
    ),
    "help.grade-format": ("How to print the result.", "결과를 출력할 형식."),
    "help.grade-out": (
        "Write the result to this file instead of standard output.",
        "결과를 표준 출력 대신 이 파일에 씁니다.",
    ),
    "help.batch": (
        "Grade every *.py in DIR (and in DIR/<student>/) and write a CSV of grades.",
        "DIR(와 DIR/<학생>/)의 모든 *.py를 채점하고 성적 CSV를 씁니다.",
    ),
    "help.batch-exercise": ("The exercise the submissions are for.", "제출물이 속한 과제."),
    "help.batch-jobs": ("How many submissions to grade at once.", "동시에 채점할 제출물 수."),
    "help.batch-out": ("Where to write the CSV of grades.", "성적 CSV를 쓸 위치."),
    "help.starter": ("Student exercise repositories.", "학생용 과제 저장소."),
    "help.starter-export": (
        "Write a student repository to DIR: starter files, statements, README and a CI "
        "workflow. References, mutants and hidden tests are never exported.",
        "학생용 저장소를 DIR에 씁니다: 시작 파일, 과제 설명, README, CI 워크플로. "
        "참조 구현, 변형, 숨겨진 검사는 절대 내보내지 않습니다.",
    ),
    "help.starter-install": (
        "What the CI workflow pip-installs (default: this gradwell version).",
        "CI 워크플로가 pip로 설치할 대상 (기본값: 현재 gradwell 버전).",
    ),
    "help.starter-force": (
        "Write into DIR even if it is not empty.", "DIR이 비어 있지 않아도 씁니다.",
    ),
    "help.ci": (
        "Grade the exercise repository at PATH; exit 1 if an exercise is below its pass mark.",
        "PATH의 과제 저장소를 채점합니다. "
        "통과 기준에 못 미치는 과제가 있으면 종료 코드 1로 끝납니다.",
    ),
    "help.ci-pass-mark": (
        "Fraction of the points every exercise needs (default: each exercise's own).",
        "모든 과제에 적용할 통과 기준 비율 (기본값: 과제마다 정한 값).",
    ),
    "help.ci-out-dir": (
        "Where to write the JUnit and Markdown reports (default: PATH).",
        "JUnit과 Markdown 보고서를 쓸 위치 (기본값: PATH).",
    ),
    # -- exercises list / show ------------------------------------------------------
    "ex.id": ("ID", "ID"),
    "ex.kind": ("Kind", "종류"),
    "ex.title": ("Title", "제목"),
    "ex.file": ("File", "파일"),
    "ex.points": ("Points", "배점"),
    "ex.tests": ("Tests", "검사"),
    "ex.kind-code": ("code", "코드"),
    "ex.kind-quiz": ("quiz", "퀴즈"),
    "ex.list-title": ("gradwell exercises", "gradwell 과제 목록"),
    "ex.visibility": ("Visibility", "공개 여부"),
    "ex.visible": ("visible", "공개"),
    "ex.hidden": ("hidden", "비공개"),
    "ex.show-header": (
        "{id} — {title} ({kind}, {points:g} points)",
        "{id} — {title} ({kind}, {points:g}점)",
    ),
    "ex.show-file": ("Submit the file {file}.", "제출 파일: {file}"),
    # -- exercises check ------------------------------------------------------------
    "check.progress": ("Checking the exercises", "과제 확인 중"),
    "check.what": ("Check", "확인 항목"),
    "check.outcome": ("Outcome", "결과"),
    "check.detail": ("Detail", "설명"),
    "check.reference": ("reference gets full marks", "참조 구현이 만점을 받음"),
    "check.mutant": (
        "misconception {id} is caught", "오개념 {id}이(가) 검출됨",
    ),
    "check.ok": ("ok", "정상"),
    "check.fail": ("FAIL", "실패"),
    "check.ref-score": ("{score:g} / {max_score:g}", "{score:g} / {max_score:g}"),
    "check.ref-lost": (
        "{score:g} / {max_score:g}; lost points on: {tests}",
        "{score:g} / {max_score:g}; 감점된 검사: {tests}",
    ),
    "check.ref-ungradable": (
        "the reference does not load: {message}", "참조 구현을 불러올 수 없습니다: {message}",
    ),
    "check.mutant-caught": (
        "lost points and tagged on: {tests}", "감점 및 태그된 검사: {tests}",
    ),
    "check.mutant-no-loss": (
        "no test of {function} lost points", "{function}의 어떤 검사도 감점되지 않았습니다",
    ),
    "check.mutant-untagged": (
        "{tests} lost points but do not carry the tag {id}",
        "{tests}이(가) 감점되었지만 태그 {id}이(가) 없습니다",
    ),
    "check.error": (
        "grading raised {type}: {message}", "채점 중 {type} 예외가 발생했습니다: {message}",
    ),
    "check.summary-ok": (
        "All {n} checks passed.", "확인 {n}개가 모두 통과했습니다.",
    ),
    "check.summary-fail": (
        "{failed} of {n} checks failed.", "확인 {n}개 중 {failed}개가 실패했습니다.",
    ),
    "check.no-code": (
        "no code exercise to check.", "확인할 코드 과제가 없습니다.",
    ),
    # -- batch ----------------------------------------------------------------------
    "batch.progress": ("Grading {exercise}", "{exercise} 채점 중"),
    "batch.done": (
        "Graded {n} submissions ({errors} could not be read) in {seconds:.1f} s; wrote {path}.",
        "제출물 {n}개를 {seconds:.1f}초 동안 채점했습니다 (읽지 못한 파일 {errors}개). "
        "{path}에 저장했습니다.",
    ),
    "batch.grader-error": (
        "the grader failed on this file ({type}: {message})",
        "이 파일에서 채점기 오류가 발생했습니다 ({type}: {message})",
    ),
    # -- ci -------------------------------------------------------------------------
    "ci.no-files": (
        "no exercise file found in {path}. Expected one of: {files}.",
        "{path}에서 과제 파일을 찾지 못했습니다. 다음 중 하나가 있어야 합니다: {files}.",
    ),
    "ci.passed": (
        "Every exercise reached its pass mark.", "모든 과제가 통과 기준을 넘었습니다.",
    ),
    "ci.failed": (
        "Below the pass mark: {ids}.", "통과 기준 미달: {ids}.",
    ),
    "ci.wrote": (
        "Wrote {junit} and {summary}.", "{junit}와(과) {summary}을(를) 썼습니다.",
    ),
    # -- starter export -------------------------------------------------------------
    "starter.not-empty": (
        "{path} exists and is not empty. Choose a new directory, or pass --force to overwrite.",
        "{path}이(가) 이미 있고 비어 있지 않습니다. 새 디렉터리를 고르거나 --force로 덮어쓰세요.",
    ),
    "starter.done": (
        "Wrote the exercise repository to {path} ({n} exercises, {files} files).",
        "과제 저장소를 {path}에 썼습니다 (과제 {n}개, 파일 {files}개).",
    ),
}
