#include "viz/ui_text.hpp"

#include <cstring>

namespace stratus::viz {
namespace {

struct Pair {
    const char* en;
    const char* ko;
};

// Declared once; the terms follow docs/glossary.md.
constexpr Pair kText[] = {
    {"Play", "재생"},
    {"Pause", "일시 정지"},
    {"Next event", "다음 이벤트"},
    {"Run until", "여기까지 실행"},
    {"Restart", "다시 시작"},
    {"Labs", "실습"},
    {"Network view", "네트워크 보기"},
    {"AZ view", "가용 영역 보기"},
    {"English", "English"},
    {"Korean", "한국어"},
    {"Auto Scaling activity", "Auto Scaling 활동"},
    {"Alarms", "경보"},
    {"Event log", "이벤트 로그"},
    {"Lesson", "수업"},
    {"Instructor", "강사"},
    {"Inspector", "세부 정보"},
    {"Targets", "대상"},
    {"Requests/s", "초당 요청"},
    {"Latency", "지연 시간"},
    {"Errors/s by code", "코드별 초당 오류"},
    {"CPU utilization", "CPU 사용률"},
    {"Instances", "인스턴스"},
    {"Target health", "대상 상태"},
    {"CPU credit balance", "CPU 크레딧 잔액"},
    {"Cost rate", "시간당 비용"},
    {"Cost so far", "누적 비용"},
    {"Target group", "대상 그룹"},
    {"Instance", "인스턴스"},
    {"Zone", "가용 영역"},
    {"Health status", "상태"},
    {"Reason", "사유"},
    {"No scaling activity yet.", "아직 조정 활동이 없습니다."},
    {"No target is registered.", "등록된 대상이 없습니다."},
    {"This scenario has no alarms.", "이 시나리오에는 경보가 없습니다."},
    {"Check the goal", "목표 확인"},
    {"Goal met.", "목표를 달성했습니다."},
    {"Goal not met yet.", "아직 목표에 못 미칩니다."},
    {"Hint:", "힌트:"},
    {"This lab names no goal.", "이 실습에는 목표가 없습니다."},
    {"picked by:", "선택 기준:"},
    {"Region", "리전"},
    {"Availability Zone", "가용 영역"},
    {"POWER OUTAGE", "전원 중단"},
    {"Internet (clients)", "인터넷(클라이언트)"},
    {"Public", "퍼블릭"},
    {"Private", "프라이빗"},
    {"subnet", "서브넷"},
    {"route table:", "라우팅 테이블:"},
    {"(no 0.0.0.0/0 route)", "(0.0.0.0/0 라우팅 없음)"},
    {"open   ", "허용   "},
    {"BLOCKED", "차단됨"},
    {"no internet gateway route", "인터넷 게이트웨이 라우팅 없음"},
    {"named public, no route to the internet gateway",
     "이름만 퍼블릭, 인터넷 게이트웨이 경로 없음"},
    {"Pending", "대기 중"},
    {"InService", "서비스 중"},
    {"Initial", "초기"},
    {"Unhealthy", "비정상"},
    {"Draining", "드레이닝"},
    {"Terminating", "종료 중"},
    {"Stopped", "중지됨"},
    {"Terminated", "종료됨"},
};

}  // namespace

const char* ui(Lang lang, const char* english) {
    if (lang == Lang::English) return english;
    for (const Pair& p : kText)
        if (std::strcmp(p.en, english) == 0) return p.ko;
    return english;
}

}  // namespace stratus::viz
