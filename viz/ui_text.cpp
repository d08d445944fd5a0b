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
    {"InService (initial)", "서비스 중(초기)"},
    {"Unhealthy", "비정상"},
    {"Draining", "드레이닝"},
    {"Terminating", "종료 중"},
    {"Stopped", "중지됨"},
    {"Terminated", "종료됨"},
    {"Spot", "스팟"},
    // The AZ columns: {} is a number or a name, in the order of the English.
    {"instances take {:.0f} req/s", "인스턴스가 초당 {:.0f}건 처리"},
    {"tasks take {:.0f} req/s", "작업이 초당 {:.0f}건 처리"},
    {"{:.0f} req/s to its tasks", "작업으로 초당 {:.0f}건"},
    {"{} running ({} unhealthy)  {} pending  {} leaving",
     "실행 중 {}(비정상 {})  대기 중 {}  종료 중 {}"},
    {"{} running ({} unhealthy)", "실행 중 {}(비정상 {})"},
    {"{} pending  {} leaving", "대기 중 {}  종료 중 {}"},
    {"Tasks", "작업"},
    {"running", "실행 중"},
    {"{} node up", "{} 노드 정상"},
    {"{} node DOWN", "{} 노드 중단"},
    {"{:.0f} req/s to its instances", "인스턴스로 초당 {:.0f}건"},
    {"{:.0f} req/s", "초당 {:.0f}건"},
    {"requests/s from the load balancer:", "로드 밸런서가 보낸 초당 요청:"},
    {"{} tasks waiting for a container instance", "컨테이너 인스턴스를 기다리는 작업 {}개"},
    {"waiting for a container instance with room for it",
     "자리가 있는 컨테이너 인스턴스를 기다리는 중"},
    {"\ncontainer instance ({}): {} tasks, CPU {} of {} units, memory {} of {} MiB reserved",
     "\n컨테이너 인스턴스({}): 작업 {}개, 예약된 CPU {}/{} 단위, 메모리 {}/{} MiB"},
    {"{} in service  {} pending  {} unhealthy  {} leaving",
     "서비스 중 {}  대기 중 {}  비정상 {}  종료 중 {}"},
    {"{} in service  {} pending", "서비스 중 {}  대기 중 {}"},
    {"{} unhealthy  {} leaving", "비정상 {}  종료 중 {}"},
    {"busy {}", "처리 중 {}"},
    {"target health:", "대상 상태:"},
    {"health status:", "상태 확인 상태:"},
    {"requests held:", "처리 중인 요청:"},
    {"standalone instance (no Auto Scaling group)", "단독 인스턴스(Auto Scaling 그룹 없음)"},
    {"RDS {} primary ({})", "RDS {} 기본({})"},
    {"RDS {} standby", "RDS {} 대기"},
    {"available", "사용 가능"},
    {"failing-over", "장애 조치 중"},
    {"unavailable", "사용 불가"},
    // EC2 instance states, as the EC2 console shows them.
    {"pending", "대기 중"},
    {"running", "실행 중"},
    {"stopping", "중지 중"},
    {"stopped", "중지됨"},
    {"shutting-down", "종료 중"},
    {"terminated", "종료됨"},
    // Target health states (the target group's Targets tab) and lifecycle states.
    {"healthy", "정상"},
    {"unhealthy", "비정상"},
    {"initial", "초기"},
    {"draining", "드레이닝"},
    {"unused", "사용되지 않음"},
    {"Unused", "사용되지 않음"},
    {"stopped reason:", "중지 이유:"},
    {"Terminating:Wait", "종료 중:대기"},
    // Chart series.
    {"requests/s", "초당 요청"},
    {"connect timeout", "연결 시간 초과"},
    {"in service", "서비스 중"},
    {"desired", "원하는 용량"},
    {"errors", "오류"},
    // Top bar and panels.
    {"speed {:.0f}x (achieved {:.0f}x)", "속도 {:.0f}배(실제 {:.0f}배)"},
    {"{}: desired {} (min {}, max {}), {} in service",
     "{}: 원하는 용량 {}(최소 {}, 최대 {}), 서비스 중 {}"},
    {"; cooldown starts when the scaling activity ends", "; 휴지 기간은 조정 활동이 끝나면 시작"},
    {"; cooldown {} left", "; 휴지 기간 {} 남음"},
    {"; instance warm-up {} left", "; 인스턴스 워밍업 {} 남음"},
    {"recent datapoints:", "최근 데이터 포인트:"},
    {"filter (type, instance, AZ...)", "필터(유형, 인스턴스, 가용 영역...)"},
    {"Each command takes effect just after the next whole second, as an [[action]] or [[fault]] "
     "of the scenario would.",
     "각 명령은 시나리오의 [[action]]이나 [[fault]]처럼 다음 정각 초 직후에 적용됩니다."},
    {"outage minutes", "중단 시간(분)"},
    {"Fail {}", "{} 장애"},
    {"spike factor", "급증 배수"},
    {"Spike {}", "{} 급증"},
    {"{} normal", "{} 정상화"},
    {"Auto Scaling group", "Auto Scaling 그룹"},
    {"of its Spot Instances", "스팟 인스턴스 중 비율"},
    {"Spot interruption wave", "스팟 중단 일괄 발생"},
    {"Fail one instance", "인스턴스 하나 장애"},
    {"policy {} enabled", "정책 {} 활성화"},
    {"target value", "목표값"},
    {"Issued:", "실행한 명령:"},
    {"Recover now", "지금 복구"},
    {"Export as scenario", "시나리오로 내보내기"},
    {"Click an instance tile to inspect it.", "인스턴스 타일을 클릭하면 세부 정보가 보입니다."},
    {"{}  {}  {}  EC2 {}, lifecycle {}", "{}  {}  {}  EC2 {}, 수명 주기 {}"},
    {", terminated {}", ", 종료 {}"},
    {"launched {}{}   busy {}  queued {}  requests taken {}   cost so far ${:.4f}",
     "시작 {}{}   처리 중 {}  대기열 {}  받은 요청 {}   누적 비용 ${:.4f}"},
    {"Terminate this instance", "이 인스턴스 종료"},
    {"Lifecycle", "수명 주기"},
    {"Health checks", "상태 확인"},
    {"No labs folder found.", "실습 폴더가 없습니다."},
    // The network view's flows (sim/view/network_view.cpp declares the templates): {} are
    // names, ports and blocks, in the order of the English.
    {"(NAT gateway)", "(NAT 게이트웨이)"},
    {"(gateway endpoint)", "(게이트웨이 엔드포인트)"},
    {"endpoint", "엔드포인트"},
    {"private DNS off", "프라이빗 DNS 비활성화"},
    {"This scenario has no [vpc]: the network is not modelled (every flow open).",
     "이 시나리오에는 [vpc]가 없습니다. 네트워크를 모델링하지 않으므로 모든 트래픽 흐름이 열려 "
     "있습니다."},
    {"(NAT instance)", "(NAT 인스턴스)"},
    {"primary", "기본"},
    {"standby", "대기"},
    {"primary (unreachable)", "기본(연결 불가)"},
    {"client -> load balancer", "클라이언트 -> 로드 밸런서"},
    {"load balancer -> targets", "로드 밸런서 -> 대상"},
    {"application -> database", "애플리케이션 -> 데이터베이스"},
    {"instances -> internet", "인스턴스 -> 인터넷"},
    {"no security group listed on {} (not modelled)", "{}에 지정된 보안 그룹 없음(모델링 안 함)"},
    {"no security group listed on launch template {} (not modelled)",
     "시작 템플릿 {}에 지정된 보안 그룹 없음(모델링 안 함)"},
    {"no security group listed on db_instance {} (not modelled)",
     "DB 인스턴스 {}에 지정된 보안 그룹 없음(모델링 안 함)"},
    {"security group {} allows {} from {}", "보안 그룹 {}: 포트 {} 인바운드 허용(소스: {})"},
    {"{} has no inbound rule for {} from {}", "{}: 포트 {} 인바운드 규칙 없음(소스: {})"},
    {"{} have no inbound rule for {} from {}", "{}: 포트 {} 인바운드 규칙 없음(소스: {})"},
    {"{} has no inbound rule for {} from a block holding {}",
     "{}: 포트 {} 인바운드 규칙 없음(소스: {}을(를) 포함하는 CIDR 블록)"},
    {"{} have no inbound rule for {} from a block holding {}",
     "{}: 포트 {} 인바운드 규칙 없음(소스: {}을(를) 포함하는 CIDR 블록)"},
    {"{} has no outbound rule for {} to {}", "{}: 포트 {} 아웃바운드 규칙 없음(대상: {})"},
    {"{} have no outbound rule for {} to {}", "{}: 포트 {} 아웃바운드 규칙 없음(대상: {})"},
    {"{} has no outbound rule for {} to a block holding {}",
     "{}: 포트 {} 아웃바운드 규칙 없음(대상: {}을(를) 포함하는 CIDR 블록)"},
    {"{} have no outbound rule for {} to a block holding {}",
     "{}: 포트 {} 아웃바운드 규칙 없음(대상: {}을(를) 포함하는 CIDR 블록)"},
    {"subnet {}'s route table has no 0.0.0.0/0 -> igw",
     "서브넷 {}의 라우팅 테이블에 0.0.0.0/0 -> igw 경로 없음"},
    {"subnet {} routes only within the VPC (no internet gateway, no NAT gateway)",
     "서브넷 {}은(는) VPC 내부로만 라우팅(인터넷 게이트웨이, NAT 게이트웨이 없음)"},
    {"subnet {} routes to NAT gateway {}, but subnet {}'s route table has no 0.0.0.0/0 -> igw",
     "서브넷 {}은(는) NAT 게이트웨이 {}(으)로 라우팅되지만, 서브넷 {}의 라우팅 테이블에 "
     "0.0.0.0/0 -> igw 경로 없음"},
    {"subnet {} through NAT gateway {}", "서브넷 {}: NAT 게이트웨이 {} 경유"},
    {"subnet {} through NAT instance {}", "서브넷 {}: NAT 인스턴스 {} 경유"},
    {"subnet {} routes to NAT instance {}, but its source/destination check is on (set "
     "source_dest_check = false)",
     "서브넷 {}은(는) NAT 인스턴스 {}(으)로 라우팅되지만, 소스/대상 확인이 켜져 있음"
     "(source_dest_check = false로 설정)"},
    {"subnet {} routes to NAT instance {}, but subnet {}'s route table has no 0.0.0.0/0 -> igw",
     "서브넷 {}은(는) NAT 인스턴스 {}(으)로 라우팅되지만, 서브넷 {}의 라우팅 테이블에 "
     "0.0.0.0/0 -> igw 경로 없음"},
    {"subnet {} routes to NAT instance {}, but it has no public IPv4 address",
     "서브넷 {}은(는) NAT 인스턴스 {}(으)로 라우팅되지만, 인스턴스에 퍼블릭 IPv4 주소 없음"},
    {"subnet {} routes to NAT instance {}, but {} has no inbound rule for 443 from {}",
     "서브넷 {}은(는) NAT 인스턴스 {}(으)로 라우팅되지만, {}: 포트 443 인바운드 규칙 없음"
     "(소스: {})"},
    {"the model sends no updates or external calls, so no request is lost",
     "모델은 업데이트나 외부 호출을 보내지 않으므로 잃는 요청 없음"},
    {"container instances -> Amazon ECS (agent registration)",
     "컨테이너 인스턴스 -> Amazon ECS(에이전트 등록)"},
    {"container instances -> Amazon ECR (image pull)",
     "컨테이너 인스턴스 -> Amazon ECR(이미지 풀)"},
    {"container instances -> Amazon S3 (image layers)",
     "컨테이너 인스턴스 -> Amazon S3(이미지 레이어)"},
    {"the ECS agent cannot register the instances with cluster {}",
     "ECS 에이전트가 인스턴스를 클러스터 {}에 등록할 수 없음"},
    {"no interface endpoint with private DNS for {}",
     "{}용 프라이빗 DNS가 활성화된 인터페이스 엔드포인트 없음"},
    {"private DNS off on interface endpoints {}",
     "인터페이스 엔드포인트 {}의 프라이빗 DNS 비활성화"},
    {"interface endpoint {} (private DNS) is not reachable on 443 from {}",
     "인터페이스 엔드포인트 {}(프라이빗 DNS)에 포트 443으로 연결 불가(소스: {})"},
    {"no S3 gateway endpoint on subnet {}'s route table",
     "서브넷 {}의 라우팅 테이블에 S3 게이트웨이 엔드포인트 없음"},
    {"{} has no outbound rule for 443 to 0.0.0.0/0 or to the prefix list of gateway endpoint {}",
     "{}: 포트 443 아웃바운드 규칙 없음(대상: 0.0.0.0/0 또는 게이트웨이 엔드포인트 {}의 접두사 "
     "목록)"},
    {"through interface endpoints {} (private DNS)", "인터페이스 엔드포인트 {} 경유(프라이빗 DNS)"},
    {"through gateway endpoint {} (route table)", "게이트웨이 엔드포인트 {} 경유(라우팅 테이블)"},
    {"through the subnets' way out to the internet", "서브넷의 인터넷 경로 경유"},
    // Chart markers.
    {"instance failure", "인스턴스 장애"},
    {"Spot notices", "스팟 중단 알림"},
    {"Spot rebalance recommendations", "스팟 리밸런싱 권장 사항"},
    {"latency over", "지연 종료"},
    {"DB failover", "DB 장애 조치"},
};

}  // namespace

const char* ui(Lang lang, const char* english) {
    if (lang == Lang::English) return english;
    for (const Pair& p : kText)
        if (std::strcmp(p.en, english) == 0) return p.ko;
    return english;
}

std::string marker_text(Lang lang, const std::string& english) {
    if (lang == Lang::English) return english;
    // "AZ <name> down" / "AZ <name> back": the AZ's name kept.
    auto ends_with = [&](const char* tail) {
        const std::size_t n = std::strlen(tail);
        return english.size() > n + 3 && english.rfind("AZ ", 0) == 0 &&
               english.compare(english.size() - n, n, tail) == 0;
    };
    if (ends_with(" down")) return "가용 영역 " + english.substr(3, english.size() - 8) + " 중단";
    if (ends_with(" back")) return "가용 영역 " + english.substr(3, english.size() - 8) + " 복구";
    if (english.rfind("latency +", 0) == 0) return "지연 " + english.substr(8);
    if (english.rfind("listener -> ", 0) == 0) return "리스너 -> " + english.substr(12);
    return ui(lang, english.c_str());
}

}  // namespace stratus::viz
