module app.maildoctor/localeenv

go 1.19
